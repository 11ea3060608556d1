"""Android devices through an adb server and adbutils; see docs/android.md."""
