"""What the pipeline knows about each dataset: files, sources, checksums, classes.

Checksums are of the *decompressed* IDX bytes, so a mirror that recompressed
an identical file still passes (MNIST's published md5s of the original ``.gz``
files are kept beside them). A file may be
gzip-compressed or plain IDX whatever its name: the first two bytes tell which
(0x1f8b for gzip, 0x0000 for IDX), so a user's own uncompressed files work too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

IMAGE_SHAPE = (28, 28)
IMAGE_PIXELS = IMAGE_SHAPE[0] * IMAGE_SHAPE[1]
NUM_CLASSES = 10
ROLES = ("train_images", "train_labels", "test_images", "test_labels")
FILE_NAMES = {
    "train_images": "train-images-idx3-ubyte.gz",
    "train_labels": "train-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz",
    "test_labels": "t10k-labels-idx1-ubyte.gz",
}
SPLIT_ROLES = {"training": ("train_images", "train_labels"), "test": ("test_images", "test_labels")}
GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class Checksum:
    sha256: str = ""  # of the decompressed IDX bytes
    gz_md5: str = ""  # of the .gz exactly as first published


@dataclass(frozen=True)
class DatasetSpec:
    name: str
    title: str
    class_names: tuple[str, ...]
    counts: dict[str, int] | None  # None: any count (a user's own IDX files)
    urls: tuple[str, ...] = ()  # base URLs tried in turn
    local_dirs: tuple[str, ...] = ()  # folders a system package installs
    checksums: dict[str, Checksum] = field(default_factory=dict)
    needs_mirror: bool = False
    licence: str = ""


DIGITS = tuple(str(digit) for digit in range(10))
STANDARD_COUNTS = {"train_images": 60000, "train_labels": 60000, "test_images": 10000, "test_labels": 10000}

DATASETS: dict[str, DatasetSpec] = {
    "mnist": DatasetSpec(
        name="mnist",
        title="MNIST handwritten digits",
        class_names=DIGITS,
        counts=STANDARD_COUNTS,
        urls=(
            "https://ossci-datasets.s3.amazonaws.com/mnist/",
            "https://storage.googleapis.com/cvdf-datasets/mnist/",
            "http://yann.lecun.com/exdb/mnist/",
        ),
        checksums={
            "train_images": Checksum(
                sha256="ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                gz_md5="f68b3c2dcbeaaa9fbdd348bbdeb94873",
            ),
            "train_labels": Checksum(
                sha256="65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
                gz_md5="d53e105ee54ea40749a09fcbcd1e9432",
            ),
            "test_images": Checksum(
                sha256="0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
                gz_md5="9fb629c4189551a2d022fa330f9573f3",
            ),
            "test_labels": Checksum(
                sha256="ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
                gz_md5="ec29112dd5afa0611ce80d1b7f02629c",
            ),
        },
        licence="Yann LeCun, Corinna Cortes, Christopher J.C. Burges; CC BY-SA 3.0",
    ),
    "fashion_mnist": DatasetSpec(
        name="fashion_mnist",
        title="Fashion-MNIST (Zalando)",
        class_names=(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
        ),
        counts=STANDARD_COUNTS,
        urls=("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",),
        local_dirs=("/usr/share/datasets/fashion-mnist",),
        checksums={
            "train_images": Checksum(sha256="c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
            "train_labels": Checksum(sha256="bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
            "test_images": Checksum(sha256="5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
            "test_labels": Checksum(sha256="0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
        },
        licence="Zalando Research; MIT licence",
    ),
    "custom": DatasetSpec(
        name="custom",
        title="your own 28x28, 10-class IDX files",
        class_names=DIGITS,
        counts=None,
        needs_mirror=True,
    ),
}
