"""Finding the ink on paper, each step against a picture drawn here whose answer is known."""

import gzip
import io

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage

from hiddennodes.reading.find_digits import NoDigitError, find_digits
from hiddennodes.reading.marks import remove_lines
from hiddennodes.reading.prepare import mnist_like, pen_width, prepare_digits


@pytest.fixture(scope="module")
def digits(mnist_t10k):
    """Real MNIST digits (ink high, uint8) and their labels."""
    images = np.frombuffer(gzip.decompress((mnist_t10k / "t10k-images-idx3-ubyte.gz").read_bytes())[16:], np.uint8)
    return images.reshape(-1, 28, 28)[:40]


def enlarged(digit: np.ndarray, side: int) -> np.ndarray:
    """A digit's ink coverage (0-1) at ``side`` pixels, smooth as a pen stroke photographed."""
    return np.clip(np.asarray(Image.fromarray(digit.astype(np.float32) / 255, "F").resize((side, side), Image.Resampling.BICUBIC)), 0, 1)


def on_paper(digit, height=300, width=400, top=60, left=120, side=160, paper=0.92, ink=0.1):
    """A digit written on plain paper (grey levels 0-1) and where its 28x28 field lies."""
    page = np.full((height, width), paper, dtype=np.float32)
    alpha = enlarged(digit, side)
    region = page[top : top + side, left : left + side]
    page[top : top + side, left : left + side] = region * (1 - alpha) + ink * alpha
    return page


def written(digit: np.ndarray, side: int = 160) -> np.ndarray:
    """The reference: MNIST's recipe applied to the ink drawn, where it is visible (bicubic enlarging leaves
    faint ringing far from the strokes that would move the crop)."""
    alpha = enlarged(digit, side)
    return mnist_like(np.where(alpha > 0.05, alpha, 0.0))


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Correlation of two 28x28s, the better of whole-pixel shifts by at most one: MNIST's recipe places the
    centre of mass at the nearest whole pixel, so half a pixel of difference anywhere moves the whole digit by one."""
    return max(float(np.corrcoef(np.roll(a, (down, across), axis=(0, 1)).ravel(), b.ravel())[0, 1])
               for down in (-1, 0, 1) for across in (-1, 0, 1))


def only_digit(gray: np.ndarray) -> np.ndarray:
    (digit,) = prepare_digits(gray)
    return digit[0]


def test_a_clean_digit_on_paper_is_the_ink_that_was_written(digits):
    for digit in digits[:10]:
        assert similarity(only_digit(on_paper(digit)), written(digit)) > 0.9


def test_ruled_lines_are_taken_out_and_the_strokes_they_cross_kept(digits):
    for digit in digits[:10]:
        page = on_paper(digit)
        for row in range(20, 300, 45):  # light blue-grey rules, 2 px, across the whole page and the digit
            page[row : row + 2] = np.minimum(page[row : row + 2], 0.62)
        assert similarity(only_digit(page), only_digit(on_paper(digit))) > 0.9


def test_remove_lines_keeps_a_thick_stroke_that_crosses_a_thin_line():
    mask = np.zeros((200, 300), dtype=bool)
    mask[100:102, :] = True  # a ruling across the page
    mask[40:160, 140:160] = True  # a pen stroke crossing it
    kept = remove_lines(mask)
    assert not kept[100:102, :130].any() and not kept[100:102, 170:].any()
    assert kept[40:160, 140:160].all()


def test_a_squared_page_and_a_printed_box_leave_only_the_digit(digits):
    digit = digits[3]
    clean = only_digit(on_paper(digit))
    squared = on_paper(digit)
    squared[::25, :] = np.minimum(squared[::25, :], 0.6)
    squared[:, ::25] = np.minimum(squared[:, ::25], 0.6)
    boxed = on_paper(digit)
    boxed[45:47, 105:295] = boxed[233:235, 105:295] = 0.05  # a printed box 1.2 times the digit's field
    boxed[45:235, 105:107] = boxed[45:235, 293:295] = 0.05
    for page in (squared, boxed):
        found = find_digits(page)
        assert len(found) == 1
        assert similarity(mnist_like(found[0].ink), clean) > 0.9


def test_a_shadow_and_uneven_light_are_not_ink(digits):
    digit = digits[5]
    clean = only_digit(on_paper(digit))
    height, width = 300, 400
    rows, columns = np.mgrid[0:height, 0:width]
    light = 1.0 - 0.5 * columns / width  # light falling off to half across the page
    shadow = 1.0 - 0.4 / (1 + np.exp(-(rows - 1.2 * columns + 60) / 8))  # a soft-edged shadow across a corner
    page = on_paper(digit) * light * shadow
    assert similarity(only_digit(page), clean) > 0.9
    # Blank paper under each: nothing is ink.
    for lighting in (light, shadow, 1.0 - 0.4 / (1 + np.exp(-(rows - 1.2 * columns + 60) / 25))):
        with pytest.raises(NoDigitError, match="no mark found"):
            find_digits((np.full((height, width), 0.92) * lighting).astype(np.float32))


def test_a_dark_table_along_the_edge_is_not_the_digit(digits):
    digit = digits[7]
    page = on_paper(digit, left=200)
    page[:, :110] = 0.15 + 0.03 * np.random.default_rng(0).standard_normal((300, 110))  # the table, left of the page
    found = find_digits(page)
    assert len(found) == 1 and found[0].box[1] >= 200 - 5
    assert similarity(mnist_like(found[0].ink), only_digit(on_paper(digit, left=200))) > 0.9


def test_a_narrow_table_strip_whose_outermost_column_is_lost_is_still_the_edge(digits):
    # A felt-pen digit beside a table strip 35 px wide whose first column is lighter (as the ink filters can leave
    # the picture's outermost pixels out): the strip reaches the border only at its two ends, so it was read as a 1
    # beside some of these digits.
    rows, columns = np.mgrid[0:240, 0:320]
    for index, digit in enumerate(digits[:20]):
        fat = ndimage.grey_dilation(digit, footprint=np.ones((3, 3)))
        page = on_paper(fat, height=240, width=320, top=30, left=110, side=180)
        page[:, 1:36] = 0.15 + 0.03 * np.random.default_rng(index).standard_normal((240, 35))
        page[:, 0] = 0.6
        found = find_digits(page)
        assert len(found) == 1 and found[0].box[1] >= 100, index


def test_the_grain_of_a_dark_table_beside_the_page_is_not_ink(digits):
    # A table covering the right of the picture, its wood's grain in darker streaks: each streak is a mark far
    # from the border and as strong as a pencil's, but it lies where the background is far darker than paper.
    for index, digit in enumerate(digits[:10]):
        page = on_paper(digit, left=40)
        table = 0.2 + 0.02 * np.random.default_rng(index).standard_normal((300, 180))
        for row in range(15, 300, 40):
            table[row : row + 4, 20:160] -= 0.1
        page[:, 220:] = table
        found = find_digits(page)
        assert len(found) == 1 and found[0].box[3] <= 220, index
        assert similarity(mnist_like(found[0].ink), only_digit(on_paper(digit, left=40))) > 0.85


def test_a_shadows_faint_corner_along_the_border_is_not_a_digit(digits):
    # The customers' shadow at 50% darker: where its soft edge leaves the picture it can make a mark along the
    # border far fainter than the digit, which was read as a second digit (3 of these 20 digits).
    from hiddennodes.conditions.catalogue import render
    from hiddennodes.reading.decode import decode

    wrong = []
    for index, digit in enumerate(digits[:20]):
        gray = decode(io.BytesIO(render(digit[None], "shadow", 2, np.random.default_rng([7, index]))))
        if len(find_digits(gray)) != 1:
            wrong.append(index)
    assert not wrong


def test_a_faint_digit_is_scaled_up_to_full_ink(digits):
    digit = digits[9]
    dark = only_digit(on_paper(digit))
    faint = only_digit(on_paper(digit, paper=0.85, ink=0.85 * (1 - 1 / 5)))  # a fifth of full contrast
    assert faint.max() == pytest.approx(1.0) and similarity(faint, dark) > 0.95
    noisy = on_paper(digit, paper=0.85, ink=0.85 * (1 - 1 / 5)) + 0.02 * np.random.default_rng(1).standard_normal((300, 400))
    assert similarity(only_digit(noisy.astype(np.float32)), dark) > 0.9


def test_a_faint_fat_digit_keeps_its_middle(mnist_t10k):
    # Two thick 8s of the real test set (t10k 8037 and 8097) in faint pencil: their crossings fill the paper's
    # median window, and at a fifth of full contrast they were taken for paper, leaving a 0 (similarity 0.91).
    images = np.frombuffer(gzip.decompress((mnist_t10k / "t10k-images-idx3-ubyte.gz").read_bytes())[16:], np.uint8)
    for digit in images.reshape(-1, 28, 28)[[8037, 8097]]:
        dark = only_digit(on_paper(digit))
        faint = only_digit(on_paper(digit, top=40, left=90, side=220, paper=0.85, ink=0.85 * (1 - 1 / 5)))
        assert similarity(faint, dark) > 0.98


def test_noise_a_blank_photo_and_a_page_of_text_are_refused_with_reasons(digits):
    rng = np.random.default_rng(2)
    with pytest.raises(NoDigitError, match="no mark found"):
        find_digits(rng.random((240, 320)).astype(np.float32))
    with pytest.raises(NoDigitError, match="no mark found"):
        find_digits(np.clip(0.8 + 0.03 * rng.standard_normal((240, 320)), 0, 1).astype(np.float32))
    text = np.full((400, 600), 0.93, dtype=np.float32)  # five lines of small handwriting
    for line in range(5):
        for position in range(12):
            digit = digits[(line * 12 + position) % len(digits)]
            top, left = 30 + line * 75, 20 + position * 47
            alpha = enlarged(digit, 44)
            text[top : top + 44, left : left + 44] = text[top : top + 44, left : left + 44] * (1 - alpha) + 0.1 * alpha
    with pytest.raises(NoDigitError, match="several lines"):
        find_digits(text)


def test_a_number_comes_back_digit_by_digit_in_order(digits):
    page = np.full((200, 560), 0.93, dtype=np.float32)
    chosen = [digits[1], digits[2], digits[3]]
    for position, digit in enumerate(chosen):
        left = 30 + position * 170
        alpha = enlarged(digit, 150)
        page[20:170, left : left + 150] = page[20:170, left : left + 150] * (1 - alpha) + 0.1 * alpha
    found = find_digits(page)
    assert len(found) == 3
    assert [digit.box[1] for digit in found] == sorted(digit.box[1] for digit in found)
    for digit, written in zip(found, chosen):
        assert similarity(mnist_like(digit.ink), mnist_like(written / 255.0)) > 0.9


def test_a_fine_pen_is_redrawn_as_wide_as_mnists_strokes(digits):
    from skimage.morphology import skeletonize

    digit = digits[0]
    fine = skeletonize(enlarged(digit, 280) > 0.5).astype(np.float32)  # a 1-pixel line where MNIST has 3
    assert pen_width(np.asarray(Image.fromarray(fine, "F").resize((20, 20), Image.Resampling.LANCZOS))) < 1.8
    redrawn = mnist_like(fine)
    assert 1.8 <= pen_width(redrawn) <= 6.3  # MNIST's range
    assert similarity(redrawn, mnist_like(digit / 255.0)) > 0.8
