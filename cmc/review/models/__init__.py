"""The development process of a model: review rounds, validation surveys, review schedule and
suggestions. One module per part (rounds.py, surveys.py, ...), each imported here."""
