"""The portal's one notification service: modules name the kind, the object and the recipients."""
