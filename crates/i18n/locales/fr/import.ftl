# Import de la matrice de suivi (pages/import.rs, `lajna import`).
import-title = Importer la matrice de suivi
import-intro = Déposez la matrice de suivi (XLSX ou CSV, en-têtes en arabe, en français ou en anglais). Vous verrez ce que change chaque ligne avant que rien ne soit écrit.
import-file = Fichier de la matrice (XLSX ou CSV)
import-upload = Prévisualiser l’import
import-link = Importer une matrice
import-preview-title = Aperçu de l’import
import-result-title = Import effectué
import-row = Ligne
import-action = Action
import-outcome = Résultat
import-details = Détails
import-outcome-create = à créer
import-outcome-update = à modifier
import-outcome-unchanged = inchangée
import-outcome-refused = refusée
import-summary = À créer : { $created } · à modifier : { $updated } · inchangées : { $unchanged } · refusées : { $refused }
import-refused-nothing = Au moins une ligne est refusée : rien ne sera écrit. Corrigez le fichier et déposez-le à nouveau.
import-nothing-to-do = Chaque ligne correspond au registre : il n’y a rien à écrire.
import-confirm = Appliquer ces modifications
import-applied = { $count ->
    [one] Un événement écrit et signé.
   *[other] { $count } événements écrits et signés.
}
import-expired = Le fichier déposé n’est plus conservé par le serveur. Déposez-le à nouveau.
import-changes = Modifications : { $fields }
import-ignored = Colonnes ignorées : { $columns }
import-matrix-language = Langue de la matrice : { $lang }
import-again = Importer un autre fichier
import-no-file = Choisissez un fichier à déposer.
import-too-large = Le fichier dépasse { $mb } Mo.
import-file-unreadable = Le fichier n’est ni un classeur XLSX ni un fichier CSV.
import-file-not-utf8 = Ligne { $row } : le fichier CSV n’est pas en UTF-8. Enregistrez-le au format « CSV UTF-8 » et déposez-le à nouveau.
import-file-no-header = Aucune ligne d’en-tête avec les colonnes de la matrice (en arabe, en français ou en anglais) n’a été trouvée.
import-bad-date = Date illisible : « { $detail } ». Écrivez 2025-12-31 ou 31/12/2025.
import-unknown-area = Aucun domaine de coopération ne s’appelle « { $detail } ».
import-ambiguous-area = « { $detail } » désigne plusieurs domaines ; écrivez le code du domaine.
import-bad-progress = L’avancement doit être un nombre entier de 0 à 100, et non « { $detail } ».
import-duplicate-row = La même action qu’à la ligne { $detail }.
import-empty-title = L’action n’a pas de titre, ni en arabe ni en français.
import-unknown-status = Statut inconnu « { $detail } ». Écrivez l’un de ceux-ci : { $accepted }.
import-reason-required = Une action « { $status } » doit en indiquer le motif : remplissez la colonne « { $column } ».
import-unknown-owner = « { $detail } » n’est pas une partie du comité.
import-unknown-id = Aucune action n’a l’identifiant « { $detail } ».
import-missing-value = La cellule « { $column } » est vide.
import-missing-column = Une nouvelle action a besoin des colonnes absentes ici : { $detail }.
import-indicator-incomplete = Un indicateur a besoin de son unité, de sa référence, de sa cible et de sa valeur actuelle (ou d’aucune) ; « { $column } » est vide.
import-bad-number = Nombre entier illisible : « { $detail } ».
import-no-roadmap = Il n’y a pas de feuille de route où ajouter une nouvelle action ; rédigez d’abord une feuille de route.
import-exists = Cette action est déjà enregistrée (même domaine et même titre) ; ajoutez son identifiant à la ligne pour la modifier.
import-no-key = Ce nœud ne peut pas écrire pour la partie { $detail }.
# Lecture bornée d’un fichier déposé (issue 12) : arguments de ImportError::args.
import-file-too-many-parts = Le classeur compte { $parts } parties ; { $limit } au plus sont lues. Copiez seulement la feuille de la matrice dans un nouveau classeur et déposez-le à nouveau.
import-file-nested-archive = Le classeur contient une autre archive (« { $part } »). Enregistrez seulement la feuille de la matrice, sans fichier incorporé, et déposez-la à nouveau.
import-file-inflated = Une fois décompressé, le classeur dépasse { $mb } Mo (à « { $part } »). Enregistrez seulement la feuille de la matrice et déposez-la à nouveau.
import-file-bad-reference = « { $cell } » n’est pas une cellule de tableur (A1 à XFD1048576) : le fichier est endommagé. Enregistrez-le à nouveau depuis votre tableur.
import-file-too-many-rows = La cellule { $cell } est au-delà de la ligne { $limit }. Enregistrez seulement la feuille de la matrice, { $limit } lignes au plus, et déposez-la à nouveau.
import-file-too-many-columns = La cellule { $cell } est au-delà de la colonne { $limit }. Enregistrez seulement les colonnes de la matrice, { $limit } au plus, et déposez-la à nouveau.
import-file-too-many-cells = La cellule { $cell } dépasse la limite de { $limit } cellules. Enregistrez seulement la feuille de la matrice et déposez-la à nouveau.
import-file-too-many-strings = Le classeur contient plus de { $limit } textes. Enregistrez seulement la feuille de la matrice et déposez-la à nouveau.
import-file-too-much-text = Le classeur contient plus de { $mb } Mo de texte. Enregistrez seulement la feuille de la matrice et déposez-la à nouveau.
# A refused row: the party owning its action, then each reason after its column (issue 17 item 5).
import-owner = Partie propriétaire : { $party }
import-in-column = Colonne « { $column } » : { $reason }

## Value columns (issue 18): what the owner party pledged on the action and delivered.
import-value-new-action = Une valeur engagée ne peut pas accompagner une action nouvelle : importez d’abord l’action, puis sa valeur.
import-value-several = Cette action porte plusieurs engagements de devises ou d’unités différentes : modifiez-les sur la page de chaque engagement.
import-value-emptied = L’engagement « { $detail } » ne se retire pas par la matrice : remettez sa valeur, ou corrigez-le sur sa page.
import-value-delivery-first = Une livraison ne peut pas être saisie avant l’engagement : importez d’abord la valeur engagée, puis la valeur livrée.
import-value-kind-changed = La devise ou l’unité « { $detail } » d’un engagement déjà livré, ou la nature (montant ou en nature) d’un engagement, se change sur sa page, pas par la matrice.
import-value-delivered-less = La valeur livrée ne peut pas diminuer par la matrice : retirez la livraison erronée sur la page de l’engagement.
