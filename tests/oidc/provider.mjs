// A real OpenID Provider (oidc-provider, OpenID Certified) for Leerlus's SSO tests.
// Env: REDIRECT_URI, POST_LOGOUT_URI, ACCOUNTS (JSON {login: claims}). Listens on a port the system
// picks (a port chosen beforehand can be taken by then) and prints "ready <port>" once it does.
// GET /__test__/next-id-token?claims=<json> makes the provider's next ID token carry those claims
// instead (re-signed with its own key): a wrong audience, an expiry in the past, acr/amr.
import Provider from "oidc-provider";
import * as jose from "jose";
import http from "node:http";

const server = http.createServer();
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const port = server.address().port;
const accounts = JSON.parse(process.env.ACCOUNTS);
const { privateKey } = await jose.generateKeyPair("RS256", { extractable: true });
const jwk = { ...(await jose.exportJWK(privateKey)), kid: "test-key", alg: "RS256", use: "sig" };
let nextClaims = null;

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: "leerlus",
    client_secret: "leerlus-test-secret",
    redirect_uris: [process.env.REDIRECT_URI],
    post_logout_redirect_uris: [process.env.POST_LOGOUT_URI],
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_basic",
  }],
  jwks: { keys: [jwk] },
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
  conformIdTokenClaims: false,
  cookies: { keys: ["oidc-test-cookie-key"] },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(ctx, id) {
    if (!accounts[id]) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...accounts[id] }; } };
  },
  // A first-party client: no consent screen, every requested scope granted.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope("openid email profile groups");
    grant.addOIDCClaims(["email", "email_verified", "name", "groups"]);
    await grant.save();
    return grant;
  },
});

provider.use(async (ctx, next) => {
  if (ctx.path === "/__test__/next-id-token") {
    nextClaims = JSON.parse(ctx.query.claims);
    ctx.status = 204;
    return;
  }
  await next();
  if (ctx.path === "/token" && nextClaims && ctx.body && ctx.body.id_token) {
    const claims = { ...jose.decodeJwt(ctx.body.id_token), ...nextClaims };
    nextClaims = null;
    ctx.body = { ...ctx.body, id_token: await new jose.SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid: "test-key" }).sign(privateKey) };
  }
});

server.on("request", provider.callback());
console.log(`ready ${port}`);
