// After a passkey is registered, show the recovery codes (or go on to where the user was going).
document.addEventListener("otp_webauthn.register_complete", function () {
  var target = document.getElementById("passkey-registered-target");
  if (target) { window.location.href = target.dataset.url; }
});
