"""Gift context: free gifts while gift stock lasts; a cancelled order's gift goes back to stock."""
