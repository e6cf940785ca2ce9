"""Reports: /rolesplit report, the weekly rollup, the chart, the CSV, and the one computation
of the numbers."""
