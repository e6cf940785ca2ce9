"""The workspace: install, OAuth and lifecycle, the roster, /rolesplit settings, and privacy
(export and forget)."""
