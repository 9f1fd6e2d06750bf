# Feuille de route, besoins et offres, programmes de formation, registre (pages/roadmap.rs).
roadmap-filters = Filtres
roadmap-all-parties = Toutes les parties
roadmap-all-statuses = Tous les statuts
roadmap-all-areas = Tous les domaines
roadmap-overdue-only = En retard seulement
roadmap-sort = Trier par
roadmap-sort-due = Échéance
roadmap-sort-progress = Avancement
roadmap-sort-status = Statut
roadmap-sort-title = Intitulé
roadmap-order = Ordre
roadmap-asc = Croissant
roadmap-desc = Décroissant
roadmap-apply = Appliquer
roadmap-reset = Effacer les filtres
roadmap-count = { $count ->
    [one] { $count } action
   *[other] { $count } actions
}
roadmap-no-actions = Aucune action ne correspond à ces filtres. Effacez les filtres pour voir toute la feuille de route.
roadmap-page-of = Page { $page } sur { $pages }
roadmap-pages = Pages
roadmap-previous = Page précédente
roadmap-next = Page suivante
roadmap-quick-update = Mise à jour rapide
needs-category = Catégorie
needs-all-categories = Toutes les catégories
needs-none = Aucun besoin ne correspond à ces filtres.
needs-no-offers = Aucune offre ne correspond à ces filtres.
needs-action = Action
needs-answers = Répond au besoin
training-none = Aucun programme de formation enregistré.
record-intro = Chaque modification est un événement signé. Chacun est vérifié à nouveau sur cette page : ses octets au regard de son identifiant, ses signatures et le certificat de sa clé, ses parents et son horloge de Lamport, et son contenu.
record-events = Événements
record-all-ok = Tous les événements sont vérifiés ; les projections enregistrées correspondent à un nouveau calcul à partir du registre.
record-problem = L’événement { $id } n’a pas passé la vérification : { $reason }. Les événements suivants n’ont pas été vérifiés ; lancez « lajna verify » sur le nœud et prévenez son exploitant.
record-hash-mismatch = Les projections enregistrées ne correspondent pas à un nouveau calcul à partir du registre ; lancez « lajna rebuild ». Empreinte de l’état recalculée :
record-none = Le registre ne contient encore aucun événement.
record-seq = N°
record-lamport = Lamport
record-kind = Type
record-id = Identifiant
record-check = Vérification
record-verified = vérifié
record-failed = échec : { $reason }
record-not-checked = non vérifié
record-intro-kept = Chaque modification est un événement signé, vérifié lorsqu’il est ajouté ou reçu : ses octets au regard de son identifiant, ses signatures et le certificat de sa clé, ses parents et son horloge de Lamport, et son contenu. Le nœud vérifie aussi tout le registre depuis le début, au démarrage puis toutes les dix minutes ; cette page montre le résultat de la dernière vérification complète.
record-last-check = Dernière vérification complète (UTC)
record-since-check = { $count ->
    [one] Un événement enregistré depuis la dernière vérification complète, vérifié à la réception.
   *[other] { $count } événements enregistrés depuis la dernière vérification complète, chacun vérifié à la réception.
}
record-verified-on-receipt = vérifié à la réception
record-private = Registre privé de { $party }
record-private-intro = Événements que ce nœud garde pour sa seule partie : jamais envoyés à l’autre partie, hors de l’empreinte de l’état partagé.
