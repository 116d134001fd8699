"""Local runtime: runs the real state machine and jobs on this machine (never shipped to Glue)."""
