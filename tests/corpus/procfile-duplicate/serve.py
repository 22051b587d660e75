"""Never runs: the Procfile defines web twice, so detection refuses the app naming both lines."""
