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
profile-triggers = Notify me (in Lajna and by e-mail) of
notify-trigger-due-soon = actions of mine due soon
notify-trigger-overdue = actions of mine overdue (again each week)
notify-trigger-endorse = what awaits my endorsement
notify-trigger-minutes-late = minutes not yet endorsed by both parties
notify-trigger-new-action = new actions for my unit
notify-trigger-peer-silent = no exchange with the other party's node
notify-trigger-digest = the weekly summary
## "My work" (issue 14 item 1).
nav-my-work = My work
my-work-title = My work
my-work-mine = My actions
my-work-mine-empty = No open action has you as its lead.
my-work-no-member = Your account is not linked to a member of the committee, so no action names you as its lead.
my-work-party = My party's actions awaiting an update
my-work-party-help = { $days ->
    [one] Open actions overdue or due within { $days } day.
   *[other] Open actions overdue or due within { $days } days.
}
my-work-party-empty = No action of your party awaits an update.
my-work-endorse = Awaiting my endorsement
my-work-endorse-empty = Nothing awaits your endorsement.
my-work-not-co-chair = Your party's co-chairs endorse decisions, roadmaps and minutes.
my-work-decision = Decision
my-work-roadmap = Roadmap
my-work-minutes = Minutes of the session
