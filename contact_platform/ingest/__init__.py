"""From landing folder to the raw schema: read, validate, pseudonymise, scrub, COPY."""
