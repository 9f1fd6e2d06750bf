# Roadmap, needs and offers, training programmes, record (pages/roadmap.rs).
roadmap-filters = Filters
roadmap-all-parties = All parties
roadmap-all-statuses = All statuses
roadmap-all-areas = All areas
roadmap-overdue-only = Overdue only
roadmap-sort = Sort by
roadmap-sort-due = Due date
roadmap-sort-progress = Progress
roadmap-sort-status = Status
roadmap-sort-title = Title
roadmap-order = Order
roadmap-asc = Ascending
roadmap-desc = Descending
roadmap-apply = Apply
roadmap-reset = Clear filters
roadmap-count = { $count ->
    [one] { $count } action
   *[other] { $count } actions
}
roadmap-no-actions = No action matches these filters. Clear the filters to see the whole roadmap.
roadmap-page-of = Page { $page } of { $pages }
roadmap-pages = Pages
roadmap-previous = Previous page
roadmap-next = Next page
roadmap-quick-update = Quick update
needs-category = Category
needs-all-categories = All categories
needs-none = No need matches these filters.
needs-no-offers = No offer matches these filters.
needs-action = Action
needs-answers = Answers the need
training-none = No training programme recorded yet.
record-intro = Every change is a signed event. Each one is checked again on this page: its bytes against its id, its signatures and key certificate, its parents and Lamport clock, and its body.
record-events = Events
record-all-ok = Every event verified; the stored projections match a fresh fold of the log.
record-problem = Event { $id } failed verification: { $reason }. The events after it were not checked; run “lajna verify” on the node and tell its operator.
record-hash-mismatch = The stored projections do not match a fresh fold of the log; run “lajna rebuild”. Fresh fold’s state hash:
record-none = The record holds no event yet.
record-seq = No.
record-lamport = Lamport
record-kind = Kind
record-id = Id
record-check = Verification
record-verified = verified
record-failed = failed: { $reason }
record-not-checked = not checked
record-intro-kept = Every change is a signed event, checked when it is appended or received: its bytes against its id, its signatures and key certificate, its parents and Lamport clock, and its body. The node also checks the whole log again from scratch, at start and every ten minutes; this page shows the result of the last full check.
record-last-check = Last full verification (UTC)
record-since-check = { $count ->
    [one] One event stored since the last full verification, verified on receipt.
   *[other] { $count } events stored since the last full verification, each verified on receipt.
}
record-verified-on-receipt = verified on receipt
record-private = Private log of { $party }
record-private-intro = Events this node keeps for its own party only: never sent to the other party, outside the shared state hash.
