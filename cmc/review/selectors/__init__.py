"""Every read of the review app; visibility decided here. One module per part:

process      the six steps of the guide, read from the records
background   step 1's background items
approvals    approvers and their approvals, who reads the process
validation   step 5's hook: where a model's validation with employers stands
rounds       review rounds, reviewers by their personal links, their proposals
schedule     review schedules and the reviews due
suggestions  suggestions, the triage queue, following one
"""
