"""Career ladders and lattices: positions, the moves between them and what each move takes."""
