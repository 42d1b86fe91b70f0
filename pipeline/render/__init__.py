"""Stage 4, render: the frozen Book -> output files (`epub`, `pdf`)."""
