"""The hand-off: wins (command, modal, webhooks, CRMs), the private space, the checklist, nudges and drag."""  # noqa: E501
