## Rappels et notifications (issue 14) : la page des notifications, le compteur de l'en-tête, les courriels.
notify-title = Notifications
notify-count = { $count ->
    [one] { $count } notification non lue
   *[other] { $count } notifications non lues
}
notify-none = Aucune notification.
notify-mark-read = Marquer comme lue
notify-mark-all-read = Tout marquer comme lu
notify-unread = Non lue
notify-read = Lue
notify-page = Page { $page } sur { $pages }
notify-previous = Précédente
notify-next = Suivante
notify-open = Ouvrir
notify-due-soon = Rappel : l'action « { $title } » arrive à échéance le { $due }
notify-overdue = Rappel : l'action « { $title } » est en retard
notify-endorse = « { $title } » attend votre approbation
notify-minutes-late = Le procès-verbal de « { $title } » n'est pas encore approuvé par les deux parties
notify-new-action = Nouvelle action pour votre unité : « { $title } »
notify-peer-silent = Aucun échange avec le nœud de l'autre partie depuis le { $since }
notify-digest = Votre résumé hebdomadaire ({ $week })
notify-marked = Un enregistrement protégé demande votre attention
notify-digest-open = { $count ->
    [one] { $count } action ouverte de votre partie
   *[other] { $count } actions ouvertes de votre partie
}
notify-digest-overdue = { $count ->
    [one] { $count } en retard
   *[other] { $count } en retard
}
notify-mail-intro = Lajna — le registre de la commission mixte
notify-mail-link = L'ouvrir dans Lajna :
notify-mail-prefs = Vos notifications et préférences :
