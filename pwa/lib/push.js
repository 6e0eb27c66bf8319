// Web Push subscription, shared by the settings screen and the service worker
// (pushsubscriptionchange). A classic script for the same reason as store.js.
(function (scope) {
  "use strict";

  function keyBytes(base64url) {
    const padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), function (c) { return c.charCodeAt(0); });
  }

  async function call(method, path, csrf, body) {
    const response = await fetch("/api/v1" + path, {
      method: method,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "Content-Type": "application/json", "X-CSRF-Token": csrf || "" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error("HTTP " + response.status + " on " + path);
    return response.status === 204 ? null : response.json();
  }

  scope.leerlusPush = {
    subscribe: async function (registration, csrf) {
      const answer = await call("GET", "/push/vapid-public-key", csrf);
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(answer.public_key || answer.key),
      });
      const json = subscription.toJSON();
      await call("POST", "/push/subscriptions", csrf, { endpoint: json.endpoint, keys: json.keys });
      return subscription;
    },

    unsubscribe: async function (registration, csrf) {
      const subscription = await registration.pushManager.getSubscription();
      if (!subscription) return;
      const endpoint = subscription.endpoint;
      await subscription.unsubscribe();
      await call("DELETE", "/push/subscriptions", csrf, { endpoint: endpoint });
    },
  };
})(self);
