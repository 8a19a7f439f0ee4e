# ruff: noqa: E501 (French sentences of the demo video)
"""The demo's short video: "Courriel suspect : les trois réflexes", narrated slides with open
captions. Its narration is the lesson's transcript (``transcript_html``), so the two never drift.

The video file is built once and committed (``elearning/static/elearning/demo/``); building it
needs ffmpeg and espeak-ng (Debian packages), never the portal at run time:

    python -m elearning.demo.video elearning/static/elearning/demo/courriel-suspect.mp4
"""

import html
import subprocess
import sys
import tempfile
import textwrap
import wave
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

STATIC_PATH = "elearning/demo/courriel-suspect.mp4"
TITLE = "Courriel suspect : les trois réflexes"
DURATION = "52 s"  # shown beside the link (the built file: 51.8 s)

# (slide heading, sentences spoken and captioned one after the other)
SCRIPT = [
    (
        "Un courriel vous presse d'agir",
        [
            "Un courriel vous demande d'agir vite : cliquer sur un lien, ouvrir une pièce jointe ou donner votre mot de passe.",
            "C'est ainsi que commencent la plupart des cyberattaques contre les établissements de santé.",
        ],
    ),
    (
        "Réflexe 1 : prendre le temps",
        [
            "Premier réflexe : prenez le temps.",
            "L'urgence, la menace ou la promesse d'un gain sont les leviers habituels de l'hameçonnage.",
        ],
    ),
    (
        "Réflexe 2 : vérifier l'expéditeur et le lien",
        [
            "Deuxième réflexe : vérifiez l'adresse de l'expéditeur, pas seulement son nom.",
            "Survolez le lien sans cliquer : l'adresse réelle du site s'affiche.",
        ],
    ),
    (
        "Réflexe 3 : signaler",
        [
            "Troisième réflexe : en cas de doute, ne répondez pas et signalez le message au support informatique.",
        ],
    ),
    (
        "Déjà cliqué ?",
        [
            "Vous avez déjà cliqué ou saisi votre mot de passe ? Prévenez tout de suite le support ou le RSSI.",
            "Plus l'alerte est rapide, plus l'incident reste limité.",
        ],
    ),
    ("À retenir", ["Prendre le temps, vérifier, signaler."]),
]


def transcript_html() -> str:
    """The narration, one paragraph per slide, for the lesson's transcript."""
    return "".join(
        f"<p><b>{html.escape(heading)}.</b> {html.escape(' '.join(sentences))}</p>"
        for heading, sentences in SCRIPT
    )


# --- Building the file (ffmpeg, espeak-ng, Pillow) ----------------------------------------------

WIDTH, HEIGHT = 1280, 720
BLUE, WHITE, INK = (0, 0, 145), (255, 255, 255), (22, 22, 22)
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
PAUSE = 0.6  # seconds of silence after each sentence


def _slide(path: Path, heading: str, caption: str) -> None:
    image = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 90), fill=BLUE)
    draw.text(
        (48, 28), "Cyberportail santé · Formation", font=ImageFont.truetype(BOLD, 30), fill=WHITE
    )
    draw.text((48, 150), TITLE, font=ImageFont.truetype(FONT, 30), fill=BLUE)
    heading_font = ImageFont.truetype(BOLD, 56)
    for number, line in enumerate(textwrap.wrap(heading, 36)):
        draw.text((48, 220 + 72 * number), line, font=heading_font, fill=INK)
    # Open captions: the sentence being spoken, white on black, at the bottom.
    lines = textwrap.wrap(caption, 58)
    top = HEIGHT - 40 - 46 * len(lines)
    draw.rectangle((0, top - 20, WIDTH, HEIGHT), fill=(0, 0, 0))
    caption_font = ImageFont.truetype(FONT, 36)
    for number, line in enumerate(lines):
        width = draw.textlength(line, font=caption_font)
        draw.text(((WIDTH - width) / 2, top + 46 * number), line, font=caption_font, fill=WHITE)
    image.save(path)


def _run(*command) -> None:
    subprocess.run(command, check=True, capture_output=True)  # noqa: S603 (fixed programs)


def build(output: Path) -> float:
    """Write the video; returns its duration in seconds."""
    total = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        parts = []
        for s, (heading, sentences) in enumerate(SCRIPT):
            for n, sentence in enumerate(sentences):
                stem = folder / f"{s:02d}-{n:02d}"
                _slide(stem.with_suffix(".png"), heading, sentence)
                _run(
                    "espeak-ng",
                    "-v",
                    "fr",
                    "-s",
                    "150",
                    "-w",
                    str(stem.with_suffix(".wav")),
                    sentence,
                )
                with wave.open(str(stem.with_suffix(".wav"))) as audio:
                    seconds = audio.getnframes() / audio.getframerate() + PAUSE
                total += seconds
                _run(
                    "ffmpeg", "-y", "-loop", "1", "-framerate", "10", "-i", str(stem.with_suffix(".png")),
                    "-i", str(stem.with_suffix(".wav")), "-af", "apad", "-t", f"{seconds:.2f}",
                    "-c:v", "libx264", "-tune", "stillimage", "-crf", "30", "-pix_fmt", "yuv420p",
                    "-r", "10", "-c:a", "aac", "-b:a", "64k", "-ar", "44100", "-ac", "1",
                    str(stem.with_suffix(".mp4")),
                )  # fmt: skip
                parts.append(stem.with_suffix(".mp4"))
        listing = folder / "parts.txt"
        listing.write_text("".join(f"file '{part}'\n" for part in parts))
        output.parent.mkdir(parents=True, exist_ok=True)
        _run(
            "ffmpeg", "-y", "-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy",
            "-movflags", "+faststart", "-metadata", f"title={TITLE}", "-metadata", "language=fra",
            str(output),
        )  # fmt: skip
    return total


if __name__ == "__main__":
    seconds = build(Path(sys.argv[1]))
    print(f"{sys.argv[1]}: about {seconds:.0f} s")
