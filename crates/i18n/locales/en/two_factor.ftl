## Two-factor sign-in (issue 16 item 3): a one-time code of an authenticator app (TOTP) after the password
totp-title = Two-factor sign-in
totp-is-on = Two-factor sign-in is on: signing in asks for a code of your authenticator app after the password.
totp-is-off = Two-factor sign-in is off.
totp-codes-left = { $n ->
    [one] { $n } unused recovery code.
   *[other] { $n } unused recovery codes.
}
totp-required-note = Your role requires it (setting totp_required_roles).
totp-on = Turn on two-factor sign-in
totp-off = Turn off two-factor sign-in
totp-on-done = Two-factor sign-in is on. Keep the recovery codes below: they are shown only this once.
totp-off-done = Two-factor sign-in is off.
totp-step-app = Open an authenticator app on your phone (FreeOTP, Aegis, Google Authenticator, Microsoft Authenticator…).
totp-step-scan = Scan this QR code with it:
totp-qr-label = QR code to scan with the authenticator app
totp-secret-text = Or type this key into the app:
totp-step-code = Type the 6-digit code the app shows.
totp-code = Code
totp-verify = Verify
totp-code-intro = Type the 6-digit code your authenticator app shows, or one of your recovery codes.
totp-required-intro = Your role requires two-factor sign-in. Set it up now to finish signing in.
totp-codes-title = Recovery codes
totp-codes-intro = Each code signs you in once in place of the app’s code, if you lose your phone. Print them or write them down and keep them somewhere safe: they will not be shown again.
totp-continue = Continue
error-code-required = Two-factor sign-in is on for this account: give the code of your authenticator app.
error-wrong-code = Wrong code, or a code already used. Type the code the app shows now, or an unused recovery code.
error-enrolment-required = Your role requires two-factor sign-in: sign in once on the web page to set it up.
