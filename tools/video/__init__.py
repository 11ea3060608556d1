"""Video files: an H.264 MP4 writer fed one frame at a time, and a streaming reader."""
