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
profile-triggers = Me prévenir (dans Lajna et par courriel)
notify-trigger-due-soon = de mes actions arrivant à échéance
notify-trigger-overdue = de mes actions en retard (à nouveau chaque semaine)
notify-trigger-endorse = de ce qui attend mon approbation
notify-trigger-minutes-late = des procès-verbaux pas encore approuvés par les deux parties
notify-trigger-new-action = des nouvelles actions pour mon unité
notify-trigger-peer-silent = de l'absence d'échange avec le nœud de l'autre partie
notify-trigger-digest = du résumé hebdomadaire
## « Mon travail » (issue 14 item 1).
nav-my-work = Mon travail
my-work-title = Mon travail
my-work-mine = Mes actions
my-work-mine-empty = Aucune action ouverte ne vous a pour responsable.
my-work-no-member = Votre compte n'est lié à aucun membre de la commission : aucune action ne vous désigne comme responsable.
my-work-party = Actions de ma partie en attente de mise à jour
my-work-party-help = { $days ->
    [one] Actions ouvertes en retard ou à échéance dans { $days } jour.
   *[other] Actions ouvertes en retard ou à échéance dans { $days } jours.
}
my-work-party-empty = Aucune action de votre partie n'attend de mise à jour.
my-work-endorse = En attente de mon approbation
my-work-endorse-empty = Rien n'attend votre approbation.
my-work-not-co-chair = Les coprésidents de votre partie approuvent les décisions, feuilles de route et procès-verbaux.
my-work-decision = Décision
my-work-roadmap = Feuille de route
my-work-minutes = Procès-verbal de la session
