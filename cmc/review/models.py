"""The development process of a model: review rounds, validation surveys, review schedule and suggestions."""
