"""The records the cycle runs on: the action plan (activities, adopted versions, carry-over)."""
