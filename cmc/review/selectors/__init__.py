"""Every read of the review app; visibility decided here. One module per part:

process      the six steps of the guide, background items, approvers, the validation hook
rounds       review rounds, reviewers by their personal links, their proposals
schedule     review schedules and the reviews due
suggestions  suggestions, the triage queue, following one
"""
