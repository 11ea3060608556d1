"""BrowserGym as a second harness: its tasks and rewards, run by this project's runner."""
