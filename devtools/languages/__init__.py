"""The 32-language OCR and offline-policy test set: data, pages and the measurement."""
