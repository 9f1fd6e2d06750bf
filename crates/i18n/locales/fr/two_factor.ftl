## Connexion à deux facteurs (issue 16, point 3) : un code à usage unique d’une application d’authentification (TOTP) après le mot de passe
totp-title = Connexion à deux facteurs
totp-is-on = La connexion à deux facteurs est activée : après le mot de passe, un code de votre application d’authentification est demandé.
totp-is-off = La connexion à deux facteurs est désactivée.
totp-codes-left = { $n ->
    [one] { $n } code de secours inutilisé.
   *[other] { $n } codes de secours inutilisés.
}
totp-required-note = Votre rôle l’exige (paramètre totp_required_roles).
totp-on = Activer la connexion à deux facteurs
totp-off = Désactiver la connexion à deux facteurs
totp-on-done = La connexion à deux facteurs est activée. Gardez les codes de secours ci-dessous : ils ne sont montrés qu’une fois.
totp-off-done = La connexion à deux facteurs est désactivée.
totp-step-app = Ouvrez une application d’authentification sur votre téléphone (FreeOTP, Aegis, Google Authenticator, Microsoft Authenticator…).
totp-step-scan = Scannez ce code QR avec elle :
totp-qr-label = Code QR à scanner avec l’application d’authentification
totp-secret-text = Ou saisissez cette clé dans l’application :
totp-step-code = Saisissez le code à 6 chiffres affiché par l’application.
totp-code = Code
totp-verify = Vérifier
totp-code-intro = Saisissez le code à 6 chiffres affiché par votre application d’authentification, ou l’un de vos codes de secours.
totp-required-intro = Votre rôle exige la connexion à deux facteurs. Configurez-la maintenant pour terminer la connexion.
totp-codes-title = Codes de secours
totp-codes-intro = Chaque code vous connecte une fois à la place du code de l’application, si vous perdez votre téléphone. Imprimez-les ou notez-les et gardez-les en lieu sûr : ils ne seront plus montrés.
totp-continue = Continuer
error-code-required = La connexion à deux facteurs est activée pour ce compte : donnez le code de votre application d’authentification.
error-wrong-code = Code erroné ou déjà utilisé. Saisissez le code affiché maintenant par l’application, ou un code de secours inutilisé.
error-enrolment-required = Votre rôle exige la connexion à deux facteurs : connectez-vous une fois par la page web pour la configurer.
