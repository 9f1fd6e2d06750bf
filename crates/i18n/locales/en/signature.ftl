## Delegated signature (issue 16 item 4): a co-chair lets a member of their party endorse for them over a period
endorse-signed-for = { $delegate }, P.O., for the co-chair { $chair } ({ $party })
sig-title = Delegated signature
sig-intro = Let a member of your party endorse decisions and roadmaps for you from one day to another, both included (“for the co-chair”, P.O.). Each endorsement shows both names; it counts as your party’s. You can withdraw a delegation at any time.
sig-delegate = Member
sig-from = From
sig-to = To (included)
sig-give = Delegate my signature
sig-none = You have not delegated your signature.
sig-withdraw = Withdraw
sig-withdrawn = withdrawn
sig-done = Your signature is delegated.
sig-withdrawn-done = The delegation is withdrawn.
