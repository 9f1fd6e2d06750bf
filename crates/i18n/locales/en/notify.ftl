## Reminders and notifications (issue 14): the notifications page, the header count, the e-mails.
notify-title = Notifications
notify-count = { $count ->
    [one] { $count } unread notification
   *[other] { $count } unread notifications
}
notify-none = No notifications.
notify-mark-read = Mark as read
notify-mark-all-read = Mark all as read
notify-unread = Unread
notify-read = Read
notify-page = Page { $page } of { $pages }
notify-previous = Previous
notify-next = Next
notify-open = Open
notify-due-soon = Reminder: action «{ $title }» is due on { $due }
notify-overdue = Reminder: action «{ $title }» is overdue
notify-endorse = «{ $title }» awaits your endorsement
notify-minutes-late = The minutes of «{ $title }» are not yet endorsed by both parties
notify-new-action = New action for your unit: «{ $title }»
notify-peer-silent = No exchange with the other party's node since { $since }
notify-digest = Your weekly summary ({ $week })
notify-marked = A marked record needs attention
notify-digest-open = { $count ->
    [one] { $count } open action of your party
   *[other] { $count } open actions of your party
}
notify-digest-overdue = { $count ->
    [one] { $count } overdue
   *[other] { $count } overdue
}
notify-mail-intro = Lajna — the joint committee's record
notify-mail-link = Open it in Lajna:
notify-mail-prefs = Your notifications and preferences:
