"""BKN SIASN: the client, its vocabulary and the sync of one employee."""
