"""Resources: competency-based resources, their moderation and the models in action."""
