/* A stand-in for Google Analytics 4 on the demo page (no network here): when the banner runs
   it after consent, it sets the cookies gtag.js would, _ga and _ga_<container-id>, for as long
   as the page's gtag("set", {cookie_expires}) says (two years, GA4's default, if nothing). */
(function () {
  "use strict";
  var now = Math.floor(Date.now() / 1000);
  var client = Math.floor(Math.random() * 2147483647) + "." + now;
  var expires = 2 * 365 * 24 * 60 * 60;
  (window.dataLayer || []).forEach(function (entry) {
    if (entry[0] === "set" && entry[1] && typeof entry[1].cookie_expires === "number") {
      expires = entry[1].cookie_expires;
    }
  });
  var attributes = "; max-age=" + expires + "; path=/; SameSite=Lax";
  document.cookie = "_ga=GA1.1." + client + attributes;
  document.cookie = "_ga_DEMO1234=GS1.1." + now + ".1.0." + now + ".0.0.0" + attributes;
  var status = document.getElementById("analytics-status");
  if (status) { status.textContent = "Google Analytics (demo) loaded."; }
  window.personvernDemoAnalytics = true;
})();
