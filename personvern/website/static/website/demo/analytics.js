/* A stand-in for Google Analytics on the demo page (no network here): it sets the cookies
   the register lists, as gtag.js would, when the banner runs it after consent. */
(function () {
  "use strict";
  var now = Math.floor(Date.now() / 1000);
  var client = Math.floor(Math.random() * 2147483647) + "." + now;
  var day = 24 * 60 * 60;
  document.cookie = "_ga=GA1.1." + client + "; max-age=" + 30 * day + "; path=/; SameSite=Lax";
  document.cookie = "_gid=GA1.1." + client + "; max-age=" + day + "; path=/; SameSite=Lax";
  var status = document.getElementById("analytics-status");
  if (status) { status.textContent = "Google Analytics (demo) loaded."; }
  window.personvernDemoAnalytics = true;
})();
