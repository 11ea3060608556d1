#!/usr/bin/env bash
# Install screenpilot and everything it needs on a fresh Debian machine.
#
#   scripts/install.sh            the main job: core, browser, OCR (no torch)
#   scripts/install.sh --full     everything the test suite needs, torch and transformers included
#
# Installs Debian packages when run as root (Chromium, Xvfb, fonts, adb), creates .venv in
# the repository and installs the project into it in editable mode.
set -euo pipefail
cd "$(dirname "$0")/.."

full=0
[ "${1:-}" = "--full" ] && full=1

apt_packages=(chromium fonts-noto-cjk fonts-noto-color-emoji fonts-dejavu-core)
if [ "$full" = 1 ]; then
  apt_packages+=(xvfb xdotool xclip x11-utils wmctrl scrot adb python3-tk)
  # the Tesseract OCR engine, the 32 languages of docs/languages.md, and fonts to render
  # them: fonts-noto-ui-core adds Arabic, Thai, Devanagari, Bengali... without a Latin "Noto
  # Sans" (fonts-noto-core's would become the default sans-serif and move every page's layout)
  apt_packages+=(tesseract-ocr fonts-noto-ui-core)
  for lang in eng fra deu spa ita por nld pol ces swe dan fin hun ron tur ind vie rus ukr bul ell \
      ara fas heb hin mar ben tha jpn kor chi-sim chi-tra; do
    apt_packages+=("tesseract-ocr-$lang")
  done
fi

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "missing system packages (install them as root): ${missing[*]}" >&2
  fi
fi

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
pip=(.venv/bin/python -m pip install -q --disable-pip-version-check)

if [ "$full" = 1 ]; then
  # torch is pinned to the CPU build that installs from local disk; an unpinned torch
  # pulls a multi-GB CUDA build. torchvision is left out: its wheels need CUDA torch, and
  # the local backend builds an image-only processor without it.
  "${pip[@]}" "torch==2.13.0"
  "${pip[@]}" -e ".[all,local,dev]"
  # Ray for bench --executor ray; BrowserGym without its playwright==1.44 pin (see pyproject).
  "${pip[@]}" -e ".[ray,browsergym]"
  "${pip[@]}" --no-deps "browsergym-core==0.14.3" "browsergym-miniwob==0.14.3"
else
  "${pip[@]}" -e ".[browser,ocr]"
fi
echo "screenpilot installed in .venv ($(.venv/bin/screenpilot --version))"
