"""The time study: /rolesplit study start|stop|result, progress, the fit question, the scheduled
DMs, and the split plan."""
