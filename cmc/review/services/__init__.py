"""Every write of the review app: one function per use case, keyword-only, one transaction.
One module per part:

process      background items, approvers and approvals, publication through the process
rounds       opening and closing review rounds, reviewers' input by their personal links
refinement   resolving proposals: accept, reject, merge (changes applied by `changes`)
schedule     review schedules, reviews done, reminders
suggestions  suggestions from users, their moderation and triage
"""
