// Read-aloud on the resident page: progressive enhancement with the phone's own voices.
// Without JavaScript, speech synthesis, or a voice for the page's language, nothing appears and
// the page works as before. The button's text is its label (for screen readers too).
(function () {
  "use strict";
  var synth = window.speechSynthesis;
  var main = document.querySelector("main[data-read]");
  if (!synth || !main || typeof window.SpeechSynthesisUtterance !== "function") return;
  var lang = (document.documentElement.lang || "").toLowerCase();
  var button = null;

  function voice() {
    var voices = synth.getVoices();
    for (var i = 0; i < voices.length; i++) {
      if ((voices[i].lang || "").toLowerCase().replace("_", "-").split("-")[0] === lang) return voices[i];
    }
    return null;
  }

  // What a reader sees: the visible text of the page, without the language list and this button.
  function lines() {
    var result = [];
    for (var i = 0; i < main.children.length; i++) {
      var part = main.children[i];
      // innerText: only what is shown (a folded-away correction form is not read); SVG has none.
      if (part === button || part.tagName === "NAV" || typeof part.innerText !== "string") continue;
      part.innerText.split(/\n+/).forEach(function (line) {
        if (line.trim()) result.push(line.trim());
      });
    }
    return result;
  }

  function stop() {
    synth.cancel();
    button.textContent = main.dataset.read;
    button.setAttribute("aria-pressed", "false");
  }

  function read() {
    var chosen = voice();
    if (!chosen) return;
    synth.cancel();
    var parts = lines();
    // One utterance per line: long utterances are cut off by some engines.
    parts.forEach(function (text, index) {
      var utterance = new window.SpeechSynthesisUtterance(text);
      utterance.lang = chosen.lang;
      utterance.voice = chosen;
      if (index === parts.length - 1) utterance.onend = stop;
      synth.speak(utterance);
    });
    button.textContent = main.dataset.stop;
    button.setAttribute("aria-pressed", "true");
  }

  function offer() {
    if (button || !voice()) return;
    button = document.createElement("button");
    button.type = "button";
    button.className = "read-aloud";
    button.setAttribute("aria-pressed", "false");
    button.textContent = main.dataset.read;
    button.addEventListener("click", function () {
      if (button.getAttribute("aria-pressed") === "true") stop(); else read();
    });
    var heading = main.querySelector("h1");
    main.insertBefore(button, heading || main.firstChild);
  }

  offer();
  // Many browsers load their voices only after the page: look again when they arrive.
  if (!button && synth.addEventListener) synth.addEventListener("voiceschanged", offer);
}());
