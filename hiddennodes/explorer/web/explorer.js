// The explorer page's script: draw a digit, watch every hidden node.
// Written for this page, no library. The data comes from the page's own JSON
// (hiddennodes/explorer/page.py); nothing is fetched. The preparation and the
// forward pass follow hiddennodes/reading/prepare.py and hiddennodes/network/trained.py step
// for step, so what the page answers is what the prediction command answers.
"use strict";
(() => {
  const SIDE = 28, PIXELS = SIDE * SIDE, FIELD = 28, BOX = 20, CROP_SHARE = 0.25;
  const CLASS_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
  const DATA = JSON.parse(document.getElementById("explorer-data").textContent);
  const $ = (id) => document.getElementById(id);

  // ---- arrays --------------------------------------------------------------------------------------
  const TYPES = { f32: Float32Array, i32: Int32Array, u8: Uint8Array, i8: Int8Array };
  async function unblob(packed) {
    const binary = atob(packed.data);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    const buffer = await new Response(stream).arrayBuffer();
    const Type = TYPES[packed.dtype];
    return new Type(buffer, 0, buffer.byteLength / Type.BYTES_PER_ELEMENT);
  }

  // ---- activations: Keras's, as hiddennodes/network/trained.py has them ----------------------------------
  const SELU_ALPHA = 1.6732632423543772, SELU_SCALE = 1.0507009873554805, LEAKY_SLOPE = 0.2;
  const sigmoid = (z) => 0.5 * (1 + Math.tanh(0.5 * z));
  function erf(x) { // Numerical Recipes' erfc (Chebyshev fit): relative error below 1.2e-7, far inside the page's 1e-5
    const t = 1 / (1 + 0.5 * Math.abs(x));
    const y = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
      t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? 1 - y : y - 1;
  }
  const ACTIVATIONS = {
    linear: (z) => z,
    relu: (z) => (z > 0 ? z : 0),
    leaky_relu: (z) => (z > 0 ? z : LEAKY_SLOPE * z),
    elu: (z) => (z > 0 ? z : Math.expm1(z)),
    selu: (z) => SELU_SCALE * (z > 0 ? z : SELU_ALPHA * Math.expm1(z)),
    sigmoid,
    tanh: Math.tanh,
    softplus: (z) => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))),
    softsign: (z) => z / (1 + Math.abs(z)),
    swish: (z) => z * sigmoid(z),
    silu: (z) => z * sigmoid(z),
    gelu: (z) => 0.5 * z * (1 + erf(z / Math.SQRT2)),
  };
  // Their derivatives, as hiddennodes/network/trained.py's ACTIVATION_FUNCTIONS: what a gradient through a convolutional network needs.
  const DERIVATIVES = {
    linear: () => 1,
    relu: (z) => (z > 0 ? 1 : 0),
    leaky_relu: (z) => (z > 0 ? 1 : LEAKY_SLOPE),
    elu: (z) => (z > 0 ? 1 : Math.exp(z)),
    selu: (z) => SELU_SCALE * (z > 0 ? 1 : SELU_ALPHA * Math.exp(z)),
    sigmoid: (z) => sigmoid(z) * (1 - sigmoid(z)),
    tanh: (z) => 1 - Math.tanh(z) ** 2,
    softplus: sigmoid,
    softsign: (z) => 1 / (1 + Math.abs(z)) ** 2,
    swish: (z) => sigmoid(z) * (1 + z * (1 - sigmoid(z))),
    silu: (z) => sigmoid(z) * (1 + z * (1 - sigmoid(z))),
    gelu: (z) => 0.5 * (1 + erf(z / Math.SQRT2)) + z * Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI),
  };

  // ---- the network ---------------------------------------------------------------------------------
  /** What the hidden layer reads for a 28x28 digit (784 values in [0, 1]): pixels, PCA components, selected pixels,
   * or a convolutional network's flattened maps. */
  function features(net, digit) {
    if (net.conv) return convForward(net, digit, false).flat;
    const inputs = new Float64Array(net.numInputs);
    if (net.kind === "pixels") {
      for (let i = 0; i < PIXELS; i++) inputs[i] = digit[i];
    } else if (net.kind === "pca") {
      for (let k = 0; k < net.numInputs; k++) {
        const row = k * PIXELS;
        let sum = 0;
        for (let p = 0; p < PIXELS; p++) sum += digit[p] * net.components[row + p];
        inputs[k] = Math.fround(sum + net.pcaOffset[k]);
      }
    } else {
      for (let k = 0; k < net.numInputs; k++) inputs[k] = digit[net.indices[k]];
    }
    return inputs;
  }

  /** Hidden activations and class probabilities, as hiddennodes.network.trained.forward; nodes in `off` give 0. */
  function forward(net, inputs, off) {
    const units = net.units, classes = net.classes;
    const z = new Float64Array(units);
    for (let j = 0; j < units; j++) z[j] = net.hiddenBias[j];
    for (let i = 0; i < inputs.length; i++) {
      const x = inputs[i];
      if (x === 0) continue;
      const row = i * units;
      for (let j = 0; j < units; j++) z[j] += x * net.kernel[row + j];
    }
    const hidden = new Float64Array(units);
    for (let j = 0; j < units; j++) hidden[j] = off && off[j] ? 0 : net.activation(z[j]);
    const logits = new Float64Array(classes);
    for (let c = 0; c < classes; c++) logits[c] = net.outputBias[c];
    for (let j = 0; j < units; j++) {
      const h = hidden[j];
      if (h === 0) continue;
      const row = j * classes;
      for (let c = 0; c < classes; c++) logits[c] += h * net.outputWeights[row + c];
    }
    let top = -Infinity;
    for (let c = 0; c < classes; c++) top = Math.max(top, logits[c]);
    const probabilities = new Float64Array(classes);
    let total = 0;
    for (let c = 0; c < classes; c++) total += (probabilities[c] = Math.exp(logits[c] - top));
    let predicted = 0;
    for (let c = 0; c < classes; c++) {
      probabilities[c] /= total;
      if (probabilities[c] > probabilities[predicted]) predicted = c;
    }
    return { hidden, probabilities, predicted, z };
  }

  // ---- the convolutions: hiddennodes/network/convolution.py's Filters, forward and back ---------------------------
  /** A convolutional network's layers before its dense one: each Keras Conv2D (valid padding, stride 1, channels last),
   * its activation and MaxPooling2D (a last partial row or column dropped); `flat` is Keras's Flatten of the last maps
   * (rows, columns, channels). With `keep`, every layer's input, pre-activation and activation stay for the way back.
   * Each input value is scattered to the outputs it reaches, so the blank paper around a drawing costs nothing. */
  function convForward(net, digit, keep) {
    const { activation, pool } = net.conv;
    let maps = digit, side = SIDE, channels = 1;
    const layers = [];
    for (const layer of net.conv.layers) {
      const { size, out, kernel, bias } = layer, convSide = side - size + 1;
      const pre = new Float64Array(convSide * convSide * out);
      for (let at = 0; at < pre.length; at += out) for (let o = 0; o < out; o++) pre[at + o] = bias[o];
      for (let y = 0; y < side; y++) {
        const yLow = Math.max(0, y - convSide + 1), yHigh = Math.min(size - 1, y);
        for (let x = 0; x < side; x++) {
          const xLow = Math.max(0, x - convSide + 1), xHigh = Math.min(size - 1, x);
          for (let ci = 0; ci < channels; ci++) {
            const v = maps[(y * side + x) * channels + ci];
            if (v === 0) continue;
            for (let ky = yLow; ky <= yHigh; ky++) {
              const outRow = (y - ky) * convSide;
              for (let kx = xLow; kx <= xHigh; kx++) {
                const row = ((ky * size + kx) * channels + ci) * out, at = (outRow + x - kx) * out;
                for (let o = 0; o < out; o++) pre[at + o] += v * kernel[row + o];
              }
            }
          }
        }
      }
      const activated = keep ? new Float64Array(pre.length) : pre;
      for (let i = 0; i < pre.length; i++) activated[i] = activation(pre[i]);
      const poolSide = Math.floor(convSide / pool), pooled = new Float64Array(poolSide * poolSide * out);
      for (let py = 0; py < poolSide; py++) {
        for (let px = 0; px < poolSide; px++) {
          const at = (py * poolSide + px) * out;
          for (let o = 0; o < out; o++) {
            let most = -Infinity;
            for (let dy = 0; dy < pool; dy++) {
              for (let dx = 0; dx < pool; dx++) most = Math.max(most, activated[((py * pool + dy) * convSide + px * pool + dx) * out + o]);
            }
            pooled[at + o] = most;
          }
        }
      }
      layers.push(keep ? { input: maps, side, channels, convSide, poolSide, pre, activated, pooled } : { poolSide, pooled });
      maps = pooled; side = poolSide; channels = out;
    }
    return { flat: maps, layers };
  }

  /** d(sum_i flatGradient_i flat_i) / d pixel, back through a `convForward(net, digit, true)`: each pooled block's
   * gradient to the first of its largest values (as TensorFlow's), times the activation's slope, then through the
   * kernel to the layer's input. */
  function convBackward(net, forwardPass, flatGradient) {
    const { derivative, pool } = net.conv;
    let gradient = flatGradient;
    for (let index = net.conv.layers.length - 1; index >= 0; index--) {
      const { size, out, kernel } = net.conv.layers[index];
      const { side, channels, convSide, poolSide, pre, activated } = forwardPass.layers[index];
      const atPre = new Float64Array(pre.length);
      for (let py = 0; py < poolSide; py++) {
        for (let px = 0; px < poolSide; px++) {
          for (let o = 0; o < out; o++) {
            const g = gradient[(py * poolSide + px) * out + o];
            if (g === 0) continue;
            let winner = -1, most = -Infinity;
            for (let dy = 0; dy < pool; dy++) {
              for (let dx = 0; dx < pool; dx++) {
                const at = ((py * pool + dy) * convSide + px * pool + dx) * out + o;
                if (activated[at] > most) { most = activated[at]; winner = at; }
              }
            }
            atPre[winner] = g * derivative(pre[winner]);
          }
        }
      }
      // Pooling passes a block's gradient to one of its values, and the activation's slope is often 0: only the
      // filters with a gradient at a position are carried back through the kernel.
      const atInput = new Float64Array(side * side * channels), live = new Int32Array(out), values = new Float64Array(out);
      for (let y = 0; y < convSide; y++) {
        for (let x = 0; x < convSide; x++) {
          const from = (y * convSide + x) * out;
          let count = 0;
          for (let o = 0; o < out; o++) if (atPre[from + o] !== 0) { live[count] = o; values[count++] = atPre[from + o]; }
          if (!count) continue;
          for (let ky = 0; ky < size; ky++) {
            for (let kx = 0; kx < size; kx++) {
              const to = ((y + ky) * side + x + kx) * channels;
              for (let ci = 0; ci < channels; ci++) {
                const row = ((ky * size + kx) * channels + ci) * out;
                let sum = 0;
                for (let n = 0; n < count; n++) sum += values[n] * kernel[row + live[n]];
                atInput[to + ci] += sum;
              }
            }
          }
        }
      }
      gradient = atInput;
    }
    return gradient;
  }

  // ---- attributions: hiddennodes/interpret/attributions.py's rescale_attributions, live --------------------------
  /** The pixels' attribution toward class `c` for a digit whose forward pass is `result`: DeepLIFT's rescale
   * rule through the hidden layer, averaged over the network file's background digits, as shap's DeepExplainer
   * computes it (a node switched off passes nothing on). For the activations DeepExplainer has no rule for
   * (gelu, swish, leaky_relu, softsign) the stage uses shap's expected gradients instead; the page keeps this rule. */
  function attribution(exp, digit, result, c) {
    if (exp.conv) return convAttribution(exp, digit, result, c);
    const units = exp.units, count = exp.backgroundCount;
    const total = new Float64Array(PIXELS);
    const u = new Float64Array(units);
    for (let k = 0; k < count; k++) {
      for (let j = 0; j < units; j++) {
        const zb = exp.backgroundZ[k * units + j], change = result.z[j] - zb;
        let multiplier;
        if (exp.off[j]) multiplier = 0;
        else if (Math.abs(change) < 1e-6) multiplier = (exp.activation(result.z[j] + 1e-4) - exp.activation(result.z[j] - 1e-4)) / 2e-4;
        else multiplier = (exp.activation(result.z[j]) - exp.activation(zb)) / change;
        u[j] = multiplier * exp.outputWeights[j * exp.classes + c];
      }
      const g = pixelGradient(exp, u);
      const base = k * PIXELS;
      for (let p = 0; p < PIXELS; p++) total[p] += (digit[p] - exp.background[base + p]) * g[p];
    }
    for (let p = 0; p < PIXELS; p++) total[p] /= count;
    return total;
  }

  /** A convolutional network's pixels toward class `c`: the slope of the class's score at the drawing (back through
   * the dense layers and the convolutions) times the pixel's difference from the mean background digit. Not the rescale
   * rule above (through the convolutions it has no closed form the page could run per stroke): a first-order estimate
   * of the score's change from the mean digit, and the page says so beside the pictures. */
  function convAttribution(exp, digit, result, c) {
    const units = exp.units;
    const u = new Float64Array(units);
    for (let j = 0; j < units; j++) u[j] = exp.off[j] ? 0 : exp.derivative(result.z[j]) * exp.outputWeights[j * exp.classes + c];
    const flatGradient = new Float64Array(exp.conv.flatSize);
    for (let i = 0; i < flatGradient.length; i++) {
      const row = i * units;
      let sum = 0;
      for (let j = 0; j < units; j++) sum += exp.kernel[row + j] * u[j];
      flatGradient[i] = sum;
    }
    // The two pictures of a drawing share one forward pass: the way back is linear in the flat gradient.
    if (!result.convPass) result.convPass = convForward(exp, digit, true);
    const g = convBackward(exp, result.convPass, flatGradient);
    const total = new Float64Array(PIXELS);
    for (let p = 0; p < PIXELS; p++) total[p] = (digit[p] - exp.backgroundMean[p]) * g[p];
    return total;
  }

  /** d(sum_j u_j z_j) / d pixel: the hidden kernel times `u`, carried back through the input map to the 784 pixels. */
  function pixelGradient(exp, u) {
    const units = exp.units, inputs = new Float64Array(exp.numInputs);
    for (let i = 0; i < exp.numInputs; i++) {
      const row = i * units;
      let sum = 0;
      for (let j = 0; j < units; j++) sum += exp.kernel[row + j] * u[j];
      inputs[i] = sum;
    }
    if (exp.kind === "pixels") return inputs;
    const pixels = new Float64Array(PIXELS);
    if (exp.kind === "pca") {
      for (let k = 0; k < exp.numInputs; k++) {
        const row = k * PIXELS, g = inputs[k];
        for (let p = 0; p < PIXELS; p++) pixels[p] += g * exp.components[row + p];
      }
    } else {
      for (let k = 0; k < exp.numInputs; k++) pixels[exp.indices[k]] += inputs[k];
    }
    return pixels;
  }

  // ---- preparation: hiddennodes/reading/prepare.py's mnist_like ---------------------------------------
  const sinc = (x) => (x === 0 ? 1 : Math.sin(x * Math.PI) / (x * Math.PI));
  const lanczos = (x) => (x >= -3 && x < 3 ? sinc(x) * sinc(x / 3) : 0);

  /** Pillow's resampling coefficients (Resample.c, precompute_coeffs) for one axis. */
  function coefficients(inSize, outSize) {
    const scale = inSize / outSize;
    const filterscale = Math.max(scale, 1);
    const support = 3 * filterscale;
    const rows = [];
    for (let xx = 0; xx < outSize; xx++) {
      const center = (xx + 0.5) * scale;
      const ss = 1 / filterscale;
      const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
      const xmax = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
      const weights = new Float64Array(Math.max(xmax, 0));
      let ww = 0;
      for (let x = 0; x < xmax; x++) ww += (weights[x] = lanczos((x + xmin - center + 0.5) * ss));
      if (ww !== 0) for (let x = 0; x < xmax; x++) weights[x] /= ww;
      rows.push({ xmin, weights });
    }
    return rows;
  }

  /** A float image resized as Pillow's Image.resize(size, LANCZOS) does in mode "F": across, then down. */
  function resizeLanczos(image, width, height, outWidth, outHeight) {
    let current = image, currentWidth = width;
    if (outWidth !== width) {
      const across = coefficients(width, outWidth);
      const next = new Float32Array(outWidth * height);
      for (let y = 0; y < height; y++) {
        const row = y * width;
        for (let xx = 0; xx < outWidth; xx++) {
          const { xmin, weights } = across[xx];
          let sum = 0;
          for (let x = 0; x < weights.length; x++) sum += current[row + xmin + x] * weights[x];
          next[y * outWidth + xx] = sum;
        }
      }
      current = next;
      currentWidth = outWidth;
    }
    if (outHeight !== height) {
      const down = coefficients(height, outHeight);
      const next = new Float32Array(currentWidth * outHeight);
      for (let yy = 0; yy < outHeight; yy++) {
        const { xmin, weights } = down[yy];
        for (let x = 0; x < currentWidth; x++) {
          let sum = 0;
          for (let y = 0; y < weights.length; y++) sum += current[(xmin + y) * currentWidth + x] * weights[y];
          next[yy * currentWidth + x] = sum;
        }
      }
      current = next;
    }
    return current;
  }

  const roundHalfEven = (x) => (Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : Math.round(x));

  /** Ink (high, any scale) to the network's 28x28 digit: null when there is no ink. */
  function mnistLike(ink, width, height) {
    let strongest = 0;
    for (let i = 0; i < ink.length; i++) if (ink[i] > strongest) strongest = ink[i];
    if (strongest <= 0) return null;
    const threshold = CROP_SHARE * strongest;
    let top = height, bottom = -1, left = width, right = -1;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (ink[y * width + x] > threshold) {
          if (y < top) top = y;
          if (y > bottom) bottom = y;
          if (x < left) left = x;
          if (x > right) right = x;
        }
      }
    }
    const cropHeight = bottom - top + 1, cropWidth = right - left + 1;
    const cropped = new Float32Array(cropWidth * cropHeight);
    for (let y = 0; y < cropHeight; y++) {
      for (let x = 0; x < cropWidth; x++) cropped[y * cropWidth + x] = ink[(y + top) * width + x + left];
    }
    const scale = BOX / Math.max(cropHeight, cropWidth);
    const boxWidth = Math.max(1, roundHalfEven(cropWidth * scale)), boxHeight = Math.max(1, roundHalfEven(cropHeight * scale));
    const boxed = resizeLanczos(cropped, cropWidth, cropHeight, boxWidth, boxHeight);
    const field = new Float64Array(FIELD * FIELD);
    const fieldTop = Math.floor((FIELD - boxHeight) / 2), fieldLeft = Math.floor((FIELD - boxWidth) / 2);
    let mass = 0, rowMass = 0, columnMass = 0;
    for (let y = 0; y < boxHeight; y++) {
      for (let x = 0; x < boxWidth; x++) {
        const value = Math.max(boxed[y * boxWidth + x], 0);
        field[(y + fieldTop) * FIELD + x + fieldLeft] = value;
      }
    }
    for (let y = 0; y < FIELD; y++) {
      for (let x = 0; x < FIELD; x++) {
        const value = field[y * FIELD + x];
        mass += value; rowMass += y * value; columnMass += x * value;
      }
    }
    if (mass <= 0) return null;
    // Whole pixels, so the strokes stay sharp; MNIST's centres of mass sit at pixel (14, 14).
    const shiftRow = roundHalfEven(FIELD / 2 - rowMass / mass), shiftColumn = roundHalfEven(FIELD / 2 - columnMass / mass);
    const shifted = new Float64Array(FIELD * FIELD);
    let most = 0;
    for (let y = 0; y < FIELD; y++) {
      const from = y - shiftRow;
      if (from < 0 || from >= FIELD) continue;
      for (let x = 0; x < FIELD; x++) {
        const fromColumn = x - shiftColumn;
        if (fromColumn < 0 || fromColumn >= FIELD) continue;
        const value = field[from * FIELD + fromColumn];
        shifted[y * FIELD + x] = value;
        if (value > most) most = value;
      }
    }
    const digit = new Float32Array(PIXELS);
    const norm = Math.max(most, 1e-12);
    for (let i = 0; i < PIXELS; i++) digit[i] = Math.min(Math.max(shifted[i] / norm, 0), 1);
    return digit;
  }

  /** SciPy's gaussian_filter (truncate 4, mode "reflect": the edge pixel mirrored) of a float image. */
  function gaussian(image, width, height, sigma) {
    const radius = Math.trunc(4 * sigma + 0.5);
    const weights = [];
    let total = 0;
    for (let k = -radius; k <= radius; k++) total += (weights[k + radius] = Math.exp(-0.5 * (k * k) / (sigma * sigma)));
    for (let k = 0; k < weights.length; k++) weights[k] /= total;
    const reflect = (i, n) => { while (i < 0 || i >= n) i = i < 0 ? -i - 1 : 2 * n - i - 1; return i; };
    const across = new Float64Array(width * height), result = new Float32Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let sum = 0;
        for (let k = -radius; k <= radius; k++) sum += weights[k + radius] * image[y * width + reflect(x + k, width)];
        across[y * width + x] = sum;
      }
    }
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let sum = 0;
        for (let k = -radius; k <= radius; k++) sum += weights[k + radius] * across[reflect(y + k, height) * width + x];
        result[y * width + x] = sum;
      }
    }
    return result;
  }

  /** Ink from a clean picture's grey levels in [0, 1] (a scan, a drawing app's export), as
   * hiddennodes/reading/find_digits.py's find_digits makes it of a crop of one digit on even paper: the paper is the most
   * common grey (the middle of the fullest of 32 bins), ink the contrast with it relative to its brightness,
   * either way round; the marks are where a lightly smoothed copy's contrast reaches a tenth of its strongest
   * (and 4%), and the strokes' core (the 90th percentile of the marks' contrast) is full ink. */
  const MARK_CONTRAST = 0.04, FAINT_SHARE = 0.1;
  function pictureInk(gray, width, height) {
    const counts = new Array(32).fill(0);
    for (let i = 0; i < gray.length; i++) counts[Math.min(31, Math.floor(gray[i] * 32))]++;
    const fullest = counts.indexOf(Math.max(...counts));
    const paper = (fullest + 0.5) / 32;
    const light = paper >= 0.5, brightness = light ? paper : 1 - paper;
    const contrast = (value) => Math.min(Math.max((light ? paper - value : value - paper) / brightness, 0), 1);
    const smooth = gaussian(gray, width, height, Math.max(0.7, Math.max(width, height) / 640));
    let strongest = 0;
    for (let i = 0; i < smooth.length; i++) strongest = Math.max(strongest, contrast(smooth[i]));
    const threshold = Math.max(MARK_CONTRAST, FAINT_SHARE * strongest);
    const ink = new Float32Array(gray.length);
    const values = [];
    for (let i = 0; i < gray.length; i++) {
      if (contrast(smooth[i]) >= threshold) values.push(ink[i] = contrast(gray[i]));
    }
    if (!values.length) return ink;
    values.sort((a, b) => a - b);
    const at = 0.9 * (values.length - 1), low = Math.floor(at);  // NumPy's percentile, linear between neighbours
    const core = Math.max(values[low] + (values[Math.min(low + 1, values.length - 1)] - values[low]) * (at - low), 1e-6);
    for (let i = 0; i < ink.length; i++) ink[i] = Math.min(ink[i] / core, 1);
    return ink;
  }

  /** Grey levels in [0, 1] from RGBA bytes, transparent parts white paper (hiddennodes/reading/prepare.py's to_gray). */
  function grayFromRgba(rgba, width, height) {
    const gray = new Float32Array(width * height);
    for (let i = 0; i < gray.length; i++) {
      const alpha = rgba[4 * i + 3] / 255;
      const luma = (0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2]) / 255;
      gray[i] = luma * alpha + (1 - alpha);
    }
    return gray;
  }

  // ---- colours and small pictures ------------------------------------------------------------------
  /** A diverging red/blue colour for a weight in [-1, 1] (white at 0), as the report's weight grids. */
  function weightColour(value) {
    const v = Math.max(-1, Math.min(1, value));
    return v >= 0 ? [255, Math.round(255 * (1 - 0.85 * v)), Math.round(255 * (1 - v))]
      : [Math.round(255 * (1 + v)), Math.round(255 * (1 + 0.6 * v)), 255];
  }

  function paintWeights(target, values, offset, scale, x0 = 0, y0 = 0, stride = SIDE) {
    for (let p = 0; p < PIXELS; p++) {
      const [r, g, b] = weightColour(values[offset + p] / scale);
      const at = ((y0 + Math.floor(p / SIDE)) * stride + x0 + (p % SIDE)) * 4;
      target[at] = r; target[at + 1] = g; target[at + 2] = b; target[at + 3] = 255;
    }
  }

  function drawWeights(canvas, exp, node) {
    const context = canvas.getContext("2d");
    const image = context.createImageData(SIDE, SIDE);
    paintWeights(image.data, exp.weightImages, node * PIXELS, 127);
    putScaled(canvas, image);
  }

  /** Grey bytes (ink high) as white ink on black, or values in [0, 1] when `unit` is true. */
  function drawGray(canvas, values, offset = 0, unit = false) {
    const context = canvas.getContext("2d");
    const image = context.createImageData(SIDE, SIDE);
    for (let p = 0; p < PIXELS; p++) {
      const level = unit ? Math.round(255 * values[offset + p]) : values[offset + p];
      image.data.set([level, level, level, 255], p * 4);
    }
    putScaled(canvas, image);
  }

  function putScaled(canvas, image) {
    const context = canvas.getContext("2d");
    if (canvas.width === SIDE) { context.putImageData(image, 0, 0); return; }
    const small = new OffscreenCanvas(SIDE, SIDE);
    small.getContext("2d").putImageData(image, 0, 0);
    context.imageSmoothingEnabled = false;
    context.clearRect(0, 0, canvas.width, canvas.height);
    context.drawImage(small, 0, 0, canvas.width, canvas.height);
  }

  // ---- state ---------------------------------------------------------------------------------------
  const state = {
    experiments: new Map(), current: null, strokes: [], stroke: null, picture: null,
    digit: null, result: null, node: 0, nodeChosen: false, classIndex: 0, pending: false,
  };
  const timings = [];

  async function decodeExperiment(payload) {
    const exp = {
      name: payload.name, label: payload.label, accuracy: payload.test_accuracy, units: payload.units,
      numInputs: payload.num_inputs, classes: DATA.class_names.length, kind: payload.inputs.kind,
      activation: ACTIVATIONS[payload.activation], derivative: DERIVATIVES[payload.activation], descriptions: payload.descriptions,
    };
    if (!exp.activation) throw new Error(`the page has no activation called ${payload.activation}`);
    if (payload.conv) exp.conv = await decodeConv(payload.conv);
    const names = ["hidden_kernel", "hidden_bias", "output_weights", "output_bias", "weight_images", "preferred", "tuning",
      "quantiles", "selectivity", "importance", "dead", "activation_scale", "class_images", "class_probabilities",
      "class_contributions", "top_images", "silent_images", "sample_hidden", "sample_labels"];
    const arrays = await Promise.all(names.map((name) => unblob(payload[name])));
    names.forEach((name, i) => { exp[name.replace(/_(\w)/g, (_, letter) => letter.toUpperCase())] = arrays[i]; });
    exp.kernel = exp.hiddenKernel;
    exp.topCount = payload.top_images.shape[1];
    exp.silentCount = payload.silent_images.shape[1];
    exp.sampleCount = payload.sample_labels.shape[0];
    if (exp.kind === "pca") {
      exp.components = await unblob(payload.inputs.components);
      const mean = await unblob(payload.inputs.mean);
      exp.pcaOffset = new Float64Array(exp.numInputs);
      for (let k = 0; k < exp.numInputs; k++) {
        let sum = 0;
        for (let p = 0; p < PIXELS; p++) sum += mean[p] * exp.components[k * PIXELS + p];
        exp.pcaOffset[k] = -sum;
      }
    } else if (exp.kind === "top_pixels") {
      exp.indices = await unblob(payload.inputs.indices);
    }
    exp.off = new Uint8Array(exp.units);
    const background = await unblob(payload.background);
    exp.backgroundCount = payload.background.shape[0];
    exp.background = new Float64Array(background.length);
    for (let i = 0; i < background.length; i++) exp.background[i] = background[i] / 255;
    if (exp.conv) {
      // A convolutional network's attributions are measured from the mean background digit (convAttribution).
      exp.backgroundMean = new Float64Array(PIXELS);
      for (let i = 0; i < exp.background.length; i++) exp.backgroundMean[i % PIXELS] += exp.background[i] / exp.backgroundCount;
    } else {
      exp.backgroundZ = new Float64Array(exp.backgroundCount * exp.units);
      for (let k = 0; k < exp.backgroundCount; k++) {
        const z = forward(exp, features(exp, exp.background.subarray(k * PIXELS, (k + 1) * PIXELS)), null).z;
        exp.backgroundZ.set(z, k * exp.units);
      }
    }
    exp.layout = gridLayout(exp.units);
    exp.sprite = weightSprite(exp);
    exp.weightScale = payload.weight_scale;
    if (payload.epochs) exp.epochs = await decodeEpochs(payload.epochs, exp);
    return exp;
  }

  /** The network at its earlier epochs (page.py's epochs_payload): decoded once; each epoch's network is made on demand. */
  async function decodeEpochs(packed, exp) {
    const names = ["hidden_kernel", "hidden_bias", "output_weights", "output_bias", "ink_weight"];
    const arrays = await Promise.all(names.map((name) => unblob(packed[name])));
    const epochs = { list: packed.epochs, kept: packed.kept, accuracy: packed.val_accuracy, scales: packed.kernel_scale, networks: [] };
    names.forEach((name, i) => { epochs[name.replace(/_(\w)/g, (_, letter) => letter.toUpperCase())] = arrays[i]; });
    if (packed.sample_hidden) epochs.sampleHidden = await unblob(packed.sample_hidden);
    return epochs;
  }

  /** Experiment `exp` as it was at its `i`-th snapshot epoch: the same page state (switched-off nodes, words, rankings,
   * which stay the kept epoch's), with that epoch's layers, node tiles (faded, on the kept network's colour scale, so an
   * early layer looks pale), scattered training digits (and, for one node, its boxes per class from them) and attribution
   * background. The last is the kept network itself. */
  function networkAt(exp, i) {
    const e = exp.epochs;
    if (i >= e.list.length - 1) return exp;
    if (e.networks[i]) return e.networks[i];
    const units = exp.units, inputs = exp.numInputs, classes = exp.classes, size = inputs * units;
    const net = { ...exp, epoch: e.list[i], epochs: null };
    net.kernel = net.hiddenKernel = new Float32Array(size);
    for (let k = 0; k < size; k++) net.kernel[k] = e.hiddenKernel[i * size + k] * e.scales[i];
    net.hiddenBias = e.hiddenBias.subarray(i * units, (i + 1) * units);
    net.outputWeights = e.outputWeights.subarray(i * units * classes, (i + 1) * units * classes);
    net.outputBias = e.outputBias.subarray(i * classes, (i + 1) * classes);
    if (e.sampleHidden) {
      net.sampleHidden = e.sampleHidden.subarray(i * exp.sampleCount * units, (i + 1) * exp.sampleCount * units);
      Object.assign(net, classBoxes(net.sampleHidden, exp.sampleLabels, units, classes));
    }
    // Each node's weights on the pixels (through the PCA components or the selected pixels), faded as the tiles are.
    net.weightImages = new Int8Array(units * PIXELS);
    const pixel = new Float64Array(PIXELS);
    for (let j = 0; j < units; j++) {
      pixel.fill(0);
      for (let k = 0; k < inputs; k++) {
        const w = net.kernel[k * units + j];
        if (exp.kind === "pixels") pixel[k] = w;
        else if (exp.kind === "top_pixels") pixel[exp.indices[k]] = w;
        else for (let p = 0; p < PIXELS; p++) pixel[p] += w * exp.components[k * PIXELS + p];
      }
      for (let p = 0; p < PIXELS; p++) {
        net.weightImages[j * PIXELS + p] = Math.round(Math.max(-1, Math.min(1, pixel[p] * e.inkWeight[p] / exp.weightScale)) * 127);
      }
    }
    net.sprite = weightSprite(net);
    net.backgroundZ = new Float64Array(exp.backgroundCount * units);
    for (let k = 0; k < exp.backgroundCount; k++) {
      net.backgroundZ.set(forward(net, features(net, exp.background.subarray(k * PIXELS, (k + 1) * PIXELS)), null).z, k * units);
    }
    e.networks[i] = net;
    return net;
  }

  /** Each node's box per class (the 5th, 25th, 50th, 75th and 95th percentiles, as NumPy interpolates them) and mean
   * per class, of the scattered training digits: the one-node view's boxes at an earlier epoch. */
  function classBoxes(hidden, labels, units, classes) {
    const quantiles = new Float32Array(units * classes * 5), tuning = new Float32Array(units * classes);
    for (let j = 0; j < units; j++) {
      for (let c = 0; c < classes; c++) {
        const values = [];
        for (let n = 0; n < labels.length; n++) if (labels[n] === c) values.push(hidden[n * units + j]);
        values.sort((a, b) => a - b);
        [5, 25, 50, 75, 95].forEach((percent, k) => {
          const at = (values.length - 1) * percent / 100, below = Math.floor(at), above = Math.min(below + 1, values.length - 1);
          quantiles[(j * classes + c) * 5 + k] = values.length ? values[below] + (values[above] - values[below]) * (at - below) : NaN;
        });
        tuning[j * classes + c] = values.length ? values.reduce((sum, v) => sum + v, 0) / values.length : 0;
      }
    }
    return { quantiles, tuning };
  }

  function showEpoch(i) {
    const exp = state.base, e = exp.epochs;
    state.current = networkAt(exp, i);
    $("epoch-label").textContent = `epoch ${e.list[i]}${e.list[i] === 0 ? " (before any training)" : ""}` +
      `${i === e.list.length - 1 ? " (the kept epoch: the network the rest of the page describes)" : ""}` +
      `, ${percent(e.accuracy[i])} right on the validation ${DATA.items}` +
      (i === e.list.length - 1 ? "" : `; its weights here to 1/127 of the largest, the words and rankings the kept epoch's (${e.kept})` +
        (exp.units === 1 ? `, the boxes from ${exp.sampleCount} training ${DATA.items}` : ""));
    $("epoch").dataset.epoch = String(e.list[i]);
    update();
    renderNode();
  }

  /** A convolutional network's filters (page.py's conv_payload), with each layer's sizes. */
  async function decodeConv(packed) {
    const conv = {
      activation: ACTIVATIONS[packed.activation], derivative: DERIVATIVES[packed.activation], activationName: packed.activation,
      pool: packed.pool, flatSize: packed.flat_size, layers: [],
    };
    if (!conv.activation) throw new Error(`the page has no activation called ${packed.activation}`);
    for (const layer of packed.layers) {
      const [size, , channels, out] = layer.kernel.shape;
      conv.layers.push({ size, channels, out, kernel: await unblob(layer.kernel), bias: await unblob(layer.bias) });
    }
    const first = conv.layers[0];
    // The first layer's kernels as pictures: the interpret stage's filter_kernels (filters, k, k) when it wrote them, else the kernel itself.
    conv.filterKernels = packed.filter_kernels ? await unblob(packed.filter_kernels) : new Float32Array(first.out * first.size * first.size);
    if (!packed.filter_kernels) {
      for (let f = 0; f < first.out; f++) for (let p = 0; p < first.size * first.size; p++) conv.filterKernels[f * first.size * first.size + p] = first.kernel[p * first.out + f];
    }
    conv.filterTuning = packed.filter_tuning ? await unblob(packed.filter_tuning) : null;
    return conv;
  }

  function gridLayout(units) {
    const columns = Math.max(1, Math.min(units, Math.ceil(Math.sqrt(units * 1.8))));
    const tile = Math.max(18, Math.min(112, Math.floor(640 / columns)));
    return { columns, rows: Math.ceil(units / columns), tile };
  }

  function weightSprite(exp) {
    const { columns, rows } = exp.layout;
    const sprite = new OffscreenCanvas(columns * SIDE, rows * SIDE);
    const context = sprite.getContext("2d");
    const image = context.createImageData(columns * SIDE, rows * SIDE);
    for (let node = 0; node < exp.units; node++) {
      paintWeights(image.data, exp.weightImages, node * PIXELS, 127, (node % columns) * SIDE, Math.floor(node / columns) * SIDE, columns * SIDE);
    }
    context.putImageData(image, 0, 0);
    return sprite;
  }

  const className = (c) => DATA.class_names[c];
  const percent = (x) => `${(100 * x).toFixed(1)}%`;

  // ---- drawing -------------------------------------------------------------------------------------
  const pad = $("pad");
  const padContext = pad.getContext("2d", { willReadFrequently: true });

  function clearPad() {
    padContext.fillStyle = "#fff";
    padContext.fillRect(0, 0, pad.width, pad.height);
  }

  function drawStroke(stroke, context = padContext) {
    context.strokeStyle = "#000";
    context.fillStyle = "#000";
    context.lineCap = "round";
    context.lineJoin = "round";
    context.lineWidth = stroke.width;
    const [first, ...rest] = stroke.points;
    if (!rest.length) {
      context.beginPath();
      context.arc(first[0], first[1], stroke.width / 2, 0, 2 * Math.PI);
      context.fill();
      return;
    }
    context.beginPath();
    context.moveTo(first[0], first[1]);
    for (const [x, y] of rest) context.lineTo(x, y);
    context.stroke();
  }

  function redrawPad() {
    clearPad();
    if (state.picture) {
      const { bitmap } = state.picture;
      const fit = Math.min(pad.width / bitmap.width, pad.height / bitmap.height);
      padContext.drawImage(bitmap, (pad.width - bitmap.width * fit) / 2, (pad.height - bitmap.height * fit) / 2, bitmap.width * fit, bitmap.height * fit);
    }
    for (const stroke of state.strokes) drawStroke(stroke);
  }

  function padPoint(event) {
    const box = pad.getBoundingClientRect();
    return [(event.clientX - box.left) * (pad.width / box.width), (event.clientY - box.top) * (pad.height / box.height)];
  }

  // One pen at a time: the pointer that started the stroke draws it (a second finger, a right button do not).
  pad.addEventListener("pointerdown", (event) => {
    if (!state.current || state.stroke || !event.isPrimary || event.button !== 0) return;
    event.preventDefault();
    pad.setPointerCapture(event.pointerId);
    if (state.picture) { state.picture = null; state.strokes = []; redrawPad(); }
    state.stroke = { width: Number($("pen").value), points: [padPoint(event)], pointer: event.pointerId };
    state.strokes.push(state.stroke);
    drawStroke(state.stroke);
    schedule();
  });
  pad.addEventListener("pointermove", (event) => {
    if (!state.stroke || event.pointerId !== state.stroke.pointer) return;
    const coalesced = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
    const points = coalesced.length ? coalesced : [event];
    for (const point of points) state.stroke.points.push(padPoint(point));
    drawStroke({ width: state.stroke.width, points: state.stroke.points.slice(-points.length - 1) });
    schedule();
  });
  const endStroke = (event) => {
    if (!state.stroke || event.pointerId !== state.stroke.pointer) return;
    state.stroke = null;
    update();
  };
  pad.addEventListener("pointerup", endStroke);
  pad.addEventListener("pointercancel", endStroke);

  $("clear").addEventListener("click", () => {
    if (state.stroke) return; state.strokes = []; state.picture = null; redrawPad(); update(); });
  $("undo").addEventListener("click", () => {
    if (state.stroke) return;
    if (state.strokes.length) state.strokes.pop(); else state.picture = null;
    redrawPad();
    update();
  });

  /** One update a frame while the pen moves: the page keeps up with the pointer. */
  function schedule() {
    if (state.pending) return;
    state.pending = true;
    requestAnimationFrame(() => { state.pending = false; update(); });
  }

  // ---- pictures --------------------------------------------------------------------------------------
  const MAX_PICTURE_PIXELS = 16e6;
  async function openPicture(file) {
    let bitmap;
    try {
      bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    } catch {
      setStatus(`${file.name} is not a picture this browser can read; give a PNG or JPEG of one ${DATA.item}.`);
      return;
    }
    let width = bitmap.width, height = bitmap.height;
    const shrink = Math.min(1, Math.sqrt(MAX_PICTURE_PIXELS / (width * height)));
    width = Math.max(1, Math.round(width * shrink)); height = Math.max(1, Math.round(height * shrink));
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext("2d");
    context.drawImage(bitmap, 0, 0, width, height);
    const rgba = context.getImageData(0, 0, width, height).data;
    state.picture = { bitmap, ink: pictureInk(grayFromRgba(rgba, width, height), width, height), width, height, name: file.name };
    state.strokes = [];
    redrawPad();
    update();
    setStatus(`${file.name}: ${bitmap.width}×${bitmap.height} pixels${shrink < 1 ? `, read at ${width}×${height}` : ""}.`);
  }
  const setStatus = (text) => { $("status").textContent = text; };
  $("file").addEventListener("change", (event) => {
    if (event.target.files[0]) openPicture(event.target.files[0]);
    event.target.value = "";  // choosing the same file again is a change too
  });
  pad.addEventListener("dragover", (event) => { event.preventDefault(); pad.classList.add("dropping"); });
  pad.addEventListener("dragleave", () => pad.classList.remove("dropping"));
  pad.addEventListener("drop", (event) => {
    event.preventDefault();
    pad.classList.remove("dropping");
    const file = event.dataTransfer.files[0];
    if (file) openPicture(file);
  });

  // MNIST's strokes are 1.8 to 6.6 pixels wide in its 20-pixel box for 99% of its digits, 3.2 in the middle
  // (hiddennodes/reading/prepare.py): a pen thinner than that for the size drawn is redrawn as wide as MNIST's middle,
  // as the prediction command redraws a fine ballpoint (there from the skeleton, here from the strokes themselves).
  const THINNEST_STROKE = 1.8, STROKE_MIDDLE = 3.2;
  const redrawn = new OffscreenCanvas(pad.width, pad.height);
  const redrawnContext = redrawn.getContext("2d", { willReadFrequently: true });

  /** The ink (1 - grey) of the strokes drawn whole on a clean canvas, at their own pen widths or at `width`: the
   * same strokes give the same digit however the pointer delivered them, and after an Undo. */
  function strokesInk(strokes, width = 0) {
    redrawnContext.fillStyle = "#fff";
    redrawnContext.fillRect(0, 0, pad.width, pad.height);
    for (const stroke of strokes) drawStroke(width ? { ...stroke, width } : stroke, redrawnContext);
    const pixels = redrawnContext.getImageData(0, 0, pad.width, pad.height).data;
    const ink = new Float32Array(pad.width * pad.height);
    for (let i = 0; i < ink.length; i++) ink[i] = 1 - pixels[4 * i] / 255;
    return ink;
  }

  /** The 28x28 digit the current drawing or picture gives, or null when there is no ink. */
  function currentDigit() {
    state.ink = null;
    if (state.picture) return mnistLike(state.picture.ink, state.picture.width, state.picture.height);
    if (!state.strokes.length) return null;
    let top = Infinity, bottom = -Infinity, left = Infinity, right = -Infinity;
    for (const stroke of state.strokes) {
      for (const [x, y] of stroke.points) {
        top = Math.min(top, y - stroke.width / 2); bottom = Math.max(bottom, y + stroke.width / 2);
        left = Math.min(left, x - stroke.width / 2); right = Math.max(right, x + stroke.width / 2);
      }
    }
    const side = Math.max(bottom - top, right - left);
    const thinnest = Math.min(...state.strokes.map((stroke) => stroke.width));
    state.redrawn = thinnest * BOX / side < THINNEST_STROKE;
    // Redrawn as preprocess.py's _pen_like_mnist does: the centre lines inked to a radius of 1.6 pixels of the
    // 20-pixel box measured on the fine drawing (3.2 wide), then the wider drawing boxed again.
    state.ink = strokesInk(state.strokes, state.redrawn ? STROKE_MIDDLE * side / BOX : 0);
    return mnistLike(state.ink, pad.width, pad.height);
  }

  // ---- the answer ------------------------------------------------------------------------------------
  function update() {
    if (!state.current) return;  // still decoding the experiments
    const started = performance.now();
    const exp = state.current;
    state.digit = currentDigit();
    const pass = state.digit && exp.conv ? convForward(exp, state.digit, false) : null;
    state.filterMaps = pass ? pass.layers[0].pooled : null;
    state.result = state.digit ? forward(exp, pass ? pass.flat : features(exp, state.digit), exp.off) : null;
    render();
    timings.push(performance.now() - started);
  }

  function render() {
    const exp = state.current, result = state.result;
    if (state.digit) drawGray($("fed"), state.digit, 0, true); else $("fed").getContext("2d").clearRect(0, 0, SIDE, SIDE);
    renderProbabilities(exp, result);
    renderContributors(exp, result);
    renderGrid(exp, result);
    renderLayer(exp, result);
    renderNodeNow(exp, result);
    renderFilters(exp);
    renderWhy(exp, result);
    document.body.dataset.predicted = result ? className(result.predicted) : "";
  }

  function renderProbabilities(exp, result) {
    const rows = $("probabilities").children;
    $("prediction").innerHTML = result
      ? `${escapeHtml(className(result.predicted))} <small>${percent(result.probabilities[result.predicted])} sure</small>`
      : "–";
    $("predicted-name").textContent = result ? className(result.predicted) : "–";
    for (let c = 0; c < exp.classes; c++) {
      const p = result ? result.probabilities[c] : 0;
      rows[c].classList.toggle("top", Boolean(result) && c === result.predicted);
      rows[c].children[1].firstChild.style.width = `${(100 * p).toFixed(2)}%`;
      rows[c].children[2].textContent = result ? p.toFixed(3) : "";
    }
  }

  /** Which pixels pushed toward the answer and toward the runner-up, once a stroke is finished (it costs a few ms). */
  function renderWhy(exp, result) {
    const targets = [$("why-answer"), $("why-runner-up")];
    if (!result) {
      for (const canvas of targets) canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height);
      $("why-answer-caption").textContent = $("why-runner-up-caption").textContent = "";
      state.why = null;
      return;
    }
    if (state.stroke) return;  // mid-stroke: drawn when the pen lifts
    let runnerUp = result.predicted === 0 ? 1 : 0;
    for (let c = 0; c < exp.classes; c++) {
      if (c !== result.predicted && result.probabilities[c] > result.probabilities[runnerUp]) runnerUp = c;
    }
    const maps = [attribution(exp, state.digit, result, result.predicted), attribution(exp, state.digit, result, runnerUp)];
    let scale = 0;
    for (const values of maps) for (let p = 0; p < PIXELS; p++) scale = Math.max(scale, Math.abs(values[p]));
    state.why = { classes: [result.predicted, runnerUp], maps };
    maps.forEach((values, index) => {
      const context = targets[index].getContext("2d");
      const image = context.createImageData(SIDE, SIDE);
      for (let p = 0; p < PIXELS; p++) {
        const [r, g, b] = weightColour(values[p] / (scale || 1));
        const shade = 1 - 0.45 * state.digit[p];  // the ink shows through, darker where it is
        image.data.set([r * shade, g * shade, b * shade, 255], p * 4);
      }
      putScaled(targets[index], image);
    });
    $("why-answer-caption").textContent = `toward ${className(result.predicted)}, its answer`;
    $("why-runner-up-caption").textContent = `toward ${className(runnerUp)}, the runner-up`;
  }

  /** Nodes ordered by what they add to class `c`'s logit now: activation x outgoing weight. */
  function contributions(exp, result, c) {
    const order = [];
    for (let j = 0; j < exp.units; j++) order.push([j, result.hidden[j] * exp.outputWeights[j * exp.classes + c]]);
    return order.sort((a, b) => b[1] - a[1]);
  }

  function renderContributors(exp, result) {
    const list = $("contributors");
    list.replaceChildren();
    state.strongest = new Set();
    if (!result) return;
    const ranked = contributions(exp, result, result.predicted);
    for (const [node, value] of ranked.slice(0, Math.min(6, exp.units))) {
      if (value <= 0) break;
      state.strongest.add(node);
      list.append(nodeItem(exp, node, `+${value.toFixed(2)}`));
    }
    // Until the reader asks a node of their own, "Ask a node" shows the one that pushes the answer most.
    if (!state.nodeChosen && ranked[0][0] !== state.node) { state.node = ranked[0][0]; renderNode(); }
  }

  function nodeItem(exp, node, value) {
    const item = document.createElement("li");
    item.dataset.node = node;
    item.innerHTML = `<b>node ${node}</b> ${value}: ${escapeHtml(exp.descriptions[node])}${exp.off[node] ? " (switched off)" : ""}`;
    item.addEventListener("click", () => selectNode(node));
    return item;
  }

  function renderGrid(exp, result) {
    const canvas = $("grid"), { columns, rows, tile } = exp.layout;
    const width = columns * tile, height = rows * tile;
    if (canvas.width !== width || canvas.height !== height) { canvas.width = width; canvas.height = height; }
    const context = canvas.getContext("2d");
    context.imageSmoothingEnabled = false;
    context.fillStyle = "#14181c";
    context.fillRect(0, 0, width, height);
    const inner = tile - 2;
    for (let node = 0; node < exp.units; node++) {
      const x = (node % columns) * tile + 1, y = Math.floor(node / columns) * tile + 1;
      const lit = result ? Math.min(1, Math.max(0, result.hidden[node] / exp.activationScale[node])) : 1;
      context.globalAlpha = exp.off[node] ? 0.08 : 0.12 + 0.88 * lit;
      context.drawImage(exp.sprite, (node % columns) * SIDE, Math.floor(node / columns) * SIDE, SIDE, SIDE, x, y, inner, inner);
    }
    context.globalAlpha = 1;
    context.lineWidth = Math.max(1.5, tile / 14);
    for (let node = 0; node < exp.units; node++) {
      const x = (node % columns) * tile + 1, y = Math.floor(node / columns) * tile + 1;
      if (exp.off[node]) {
        context.strokeStyle = "#e04040";
        context.beginPath();
        context.moveTo(x + 2, y + 2); context.lineTo(x + inner - 2, y + inner - 2);
        context.moveTo(x + inner - 2, y + 2); context.lineTo(x + 2, y + inner - 2);
        context.stroke();
      }
      if (state.strongest && state.strongest.has(node) || node === state.node) {
        context.strokeStyle = node === state.node ? "#ffffff" : "#f0b400";
        context.strokeRect(x + 0.5, y + 0.5, inner - 1, inner - 1);
      }
    }
    const off = exp.off.reduce((a, b) => a + b, 0);
    $("off-count").textContent = off ? `${off} of ${exp.units} switched off` : "";
  }

  $("grid").addEventListener("click", (event) => {
    if (!state.current) return;
    const exp = state.current, { columns, tile } = exp.layout, canvas = $("grid");
    const box = canvas.getBoundingClientRect();
    const x = (event.clientX - box.left) * (canvas.width / box.width), y = (event.clientY - box.top) * (canvas.height / box.height);
    const node = Math.floor(y / tile) * columns + Math.floor(x / tile);
    if (Math.floor(x / tile) >= columns || node < 0 || node >= exp.units) return;
    if ($("ablate-mode").checked) toggleNode(node); else selectNode(node);
  });
  $("all-on").addEventListener("click", () => { state.current.off.fill(0); update(); renderNode(); });
  $("node-off").addEventListener("change", () => toggleNode(state.node, $("node-off").checked));

  function toggleNode(node, off = !state.current.off[node]) {
    state.current.off[node] = off ? 1 : 0;
    update();
    renderNode();
  }

  // ---- one node, the whole layer ---------------------------------------------------------------------
  function selectNode(node) {
    state.node = node;
    state.nodeChosen = true;
    renderNode();
    render();
  }

  function renderNode() {
    const exp = state.current, node = state.node;
    $("node-title").textContent = `Ask a node: node ${node} of ${exp.units}`;
    const importance = exp.importance[node], selectivity = exp.selectivity[node];
    $("node-words").innerHTML = `<b>${escapeHtml(exp.descriptions[node])}.</b> Selectivity ${selectivity.toFixed(2)} ` +
      `(0: every class alike, 1: one class only); switching it off ${importance > 0 ? `costs ${(100 * importance).toFixed(1)} points` : "costs nothing"} of test accuracy` +
      `${exp.dead[node] ? `; it never fires on the test ${DATA.items}` : ""}.`;
    $("node-off").checked = Boolean(exp.off[node]);
    drawWeights($("node-weights"), exp, node);
    drawGray($("node-preferred"), exp.preferred, node * PIXELS);
    for (const [id, images, count] of [["node-top", exp.topImages, exp.topCount], ["node-silent", exp.silentImages, exp.silentCount]]) {
      const strip = $(id);
      strip.replaceChildren();
      for (let k = 0; k < count; k++) {
        const canvas = document.createElement("canvas");
        canvas.width = SIDE; canvas.height = SIDE;
        drawGray(canvas, images, (node * count + k) * PIXELS);
        strip.append(canvas);
      }
    }
    renderNodeNow(exp, state.result);
  }

  /** Box plots of one node's activation per class, with the drawing's activation as a line. */
  function drawClassBoxes(canvas, exp, node, value) {
    const context = canvas.getContext("2d"), width = canvas.width, height = canvas.height;
    context.clearRect(0, 0, width, height);
    const q = (c, k) => exp.quantiles[(node * exp.classes + c) * 5 + k];
    let low = 0, high = 0;
    for (let c = 0; c < exp.classes; c++) { low = Math.min(low, q(c, 0)); high = Math.max(high, q(c, 4)); }
    if (value !== null) { low = Math.min(low, value); high = Math.max(high, value); }
    if (high <= low) high = low + 1;
    const left = 92, right = width - 12, top = 18, rowHeight = (height - 40) / exp.classes;
    const at = (v) => left + ((v - low) / (high - low)) * (right - left);
    context.font = "12px system-ui, sans-serif";
    context.textBaseline = "middle";
    for (let c = 0; c < exp.classes; c++) {
      const y = top + c * rowHeight + rowHeight / 2;
      context.fillStyle = "#1d232a";
      context.fillText(className(c).slice(0, 13), 4, y);
      context.strokeStyle = CLASS_COLOURS[c % 10];
      context.fillStyle = CLASS_COLOURS[c % 10];
      context.lineWidth = 1.5;
      context.beginPath(); context.moveTo(at(q(c, 0)), y); context.lineTo(at(q(c, 4)), y); context.stroke();
      context.globalAlpha = 0.55;
      context.fillRect(at(q(c, 1)), y - rowHeight * 0.32, Math.max(1, at(q(c, 3)) - at(q(c, 1))), rowHeight * 0.64);
      context.globalAlpha = 1;
      context.fillStyle = "#1d232a";
      context.fillRect(at(q(c, 2)) - 1, y - rowHeight * 0.32, 2, rowHeight * 0.64);
      context.fillStyle = "#fff";
      context.beginPath(); context.arc(at(exp.tuning[node * exp.classes + c]), y, 3, 0, 2 * Math.PI); context.fill(); context.stroke();
    }
    const axis = height - 22;
    context.strokeStyle = "#9aa4ad"; context.lineWidth = 1;
    context.beginPath(); context.moveTo(left, axis); context.lineTo(right, axis); context.stroke();
    context.fillStyle = "#5b6670"; context.textBaseline = "top";
    context.fillText(low.toFixed(2), left, axis + 4);
    context.textAlign = "right"; context.fillText(high.toFixed(2), right, axis + 4); context.textAlign = "left";
    if (value !== null) {
      context.strokeStyle = "#000"; context.lineWidth = 2.5;
      context.beginPath(); context.moveTo(at(value), top - 2); context.lineTo(at(value), axis); context.stroke();
      context.fillStyle = "#000"; context.textAlign = "center"; context.textBaseline = "top";
      context.fillText(`your drawing: ${value.toFixed(2)}`, Math.min(Math.max(at(value), left + 60), right - 60), 1);
      context.textAlign = "left";
    }
    canvas.dataset.value = value === null ? "" : String(value);
    canvas.dataset.x = value === null ? "" : String(at(value));
  }

  function renderNodeNow(exp, result) {
    drawClassBoxes($("node-classes"), exp, state.node, result ? result.hidden[state.node] : null);
  }

  /** exp1: the one node's box plot per class; exp2: the two nodes' scatter of the training digits. */
  function renderLayer(exp, result) {
    const view = $("layer-view"), canvas = $("layer");
    view.hidden = exp.units > 2;
    if (exp.units > 2) return;
    if (exp.units === 1) {
      $("layer-title").textContent = "Where your drawing falls among the classes";
      $("layer-caption").textContent = `The one node's activation per class on the test ${DATA.items}; the black line is your drawing.`;
      drawClassBoxes(canvas, exp, 0, result ? result.hidden[0] : null);
      return;
    }
    $("layer-title").textContent = `Your drawing among the training ${DATA.items}`;
    $("layer-caption").textContent = `Each dot is a training ${DATA.item} at its two activations, coloured by class; the shading is the class the output layer answers there; the black ring is your drawing.`;
    drawScatter(canvas, exp, result);
  }

  function drawScatter(canvas, exp, result) {
    const context = canvas.getContext("2d"), width = canvas.width, height = canvas.height, margin = 28;
    let highX = 0, highY = 0;
    for (let i = 0; i < exp.sampleCount; i++) { highX = Math.max(highX, exp.sampleHidden[2 * i]); highY = Math.max(highY, exp.sampleHidden[2 * i + 1]); }
    if (result) { highX = Math.max(highX, result.hidden[0]); highY = Math.max(highY, result.hidden[1]); }
    let lowX = 0, lowY = 0;
    for (let i = 0; i < exp.sampleCount; i++) { lowX = Math.min(lowX, exp.sampleHidden[2 * i]); lowY = Math.min(lowY, exp.sampleHidden[2 * i + 1]); }
    highX = highX * 1.05 + 1e-6; highY = highY * 1.05 + 1e-6;
    const toX = (v) => margin + ((v - lowX) / (highX - lowX)) * (width - margin - 8);
    const toY = (v) => height - margin - ((v - lowY) / (highY - lowY)) * (height - margin - 8);
    context.clearRect(0, 0, width, height);
    const cell = 6;
    for (let px = margin; px < width - 8; px += cell) {
      for (let py = 8; py < height - margin; py += cell) {
        const h0 = lowX + ((px + cell / 2 - margin) / (width - margin - 8)) * (highX - lowX);
        const h1 = lowY + ((height - margin - py - cell / 2) / (height - margin - 8)) * (highY - lowY);
        let best = 0, bestLogit = -Infinity;
        for (let c = 0; c < exp.classes; c++) {
          const logit = exp.outputBias[c] + h0 * exp.outputWeights[c] + h1 * exp.outputWeights[exp.classes + c];
          if (logit > bestLogit) { bestLogit = logit; best = c; }
        }
        context.fillStyle = CLASS_COLOURS[best % 10];
        context.globalAlpha = 0.12;
        context.fillRect(px, py, cell, cell);
      }
    }
    context.globalAlpha = 0.7;
    for (let i = 0; i < exp.sampleCount; i++) {
      context.fillStyle = CLASS_COLOURS[exp.sampleLabels[i] % 10];
      context.fillRect(toX(exp.sampleHidden[2 * i]) - 1.5, toY(exp.sampleHidden[2 * i + 1]) - 1.5, 3, 3);
    }
    context.globalAlpha = 1;
    context.strokeStyle = "#9aa4ad"; context.lineWidth = 1;
    context.strokeRect(margin, 8, width - margin - 8, height - margin - 8);
    context.fillStyle = "#5b6670"; context.font = "12px system-ui, sans-serif";
    context.fillText("node 0 →", width - 70, height - 8);
    context.save(); context.translate(12, 70); context.rotate(-Math.PI / 2); context.fillText("node 1 →", 0, 0); context.restore();
    if (result) {
      const x = toX(result.hidden[0]), y = toY(result.hidden[1]);
      context.strokeStyle = "#000"; context.lineWidth = 3;
      context.beginPath(); context.arc(x, y, 7, 0, 2 * Math.PI); context.stroke();
      canvas.dataset.x = String(x); canvas.dataset.y = String(y);
    } else {
      canvas.dataset.x = ""; canvas.dataset.y = "";
    }
  }

  // ---- a convolutional network's first filters -------------------------------------------------------
  const FILTER_TILE = 56, FILTER_CELL = 64, FILTER_LABEL = 16;

  /** The first layer's kernels side by side, once: one colour scale, so the filters compare. */
  function filterSprite(conv) {
    const { size, out } = conv.layers[0], area = size * size;
    let scale = 0;
    for (let i = 0; i < conv.filterKernels.length; i++) scale = Math.max(scale, Math.abs(conv.filterKernels[i]));
    const sprite = new OffscreenCanvas(out * size, size), context = sprite.getContext("2d");
    const image = context.createImageData(out * size, size);
    for (let f = 0; f < out; f++) {
      for (let p = 0; p < area; p++) {
        const [r, g, b] = weightColour(conv.filterKernels[f * area + p] / (scale || 1));
        image.data.set([r, g, b, 255], ((Math.floor(p / size) * out * size) + f * size + (p % size)) * 4);
      }
    }
    context.putImageData(image, 0, 0);
    return sprite;
  }

  /** Each first-layer filter: its kernel above its map of the drawing now, and the class its map likes best. */
  function renderFilters(exp) {
    if (!exp.conv) return;
    const conv = exp.conv, out = conv.layers[0].out, canvas = $("filters");
    const columns = Math.min(out, 8), rows = Math.ceil(out / columns), rowHeight = 2 * FILTER_TILE + 6 + FILTER_LABEL;
    const width = columns * FILTER_CELL, height = rows * rowHeight;
    if (canvas.width !== width || canvas.height !== height) { canvas.width = width; canvas.height = height; }
    conv.sprite = conv.sprite || filterSprite(conv);
    const context = canvas.getContext("2d");
    context.clearRect(0, 0, width, height);
    context.imageSmoothingEnabled = false;
    const maps = state.filterMaps, side = SIDE - conv.layers[0].size + 1, mapSide = Math.floor(side / conv.pool);
    let mapSprite = null;
    if (maps) {
      let strongest = 0;
      for (let i = 0; i < maps.length; i++) strongest = Math.max(strongest, maps[i]);
      mapSprite = new OffscreenCanvas(out * mapSide, mapSide);
      const mapContext = mapSprite.getContext("2d"), image = mapContext.createImageData(out * mapSide, mapSide);
      for (let p = 0; p < mapSide * mapSide; p++) {
        for (let f = 0; f < out; f++) {
          const level = Math.round(255 * Math.min(1, Math.max(0, maps[p * out + f] / (strongest || 1))));
          image.data.set([level, level, level, 255], (Math.floor(p / mapSide) * out * mapSide + f * mapSide + (p % mapSide)) * 4);
        }
      }
      mapContext.putImageData(image, 0, 0);
    }
    context.font = "11px system-ui, sans-serif";
    context.textAlign = "center";
    context.textBaseline = "top";
    for (let f = 0; f < out; f++) {
      const x = (f % columns) * FILTER_CELL + (FILTER_CELL - FILTER_TILE) / 2, y = Math.floor(f / columns) * rowHeight;
      const size = conv.layers[0].size;
      context.drawImage(conv.sprite, f * size, 0, size, size, x, y, FILTER_TILE, FILTER_TILE);
      if (mapSprite) context.drawImage(mapSprite, f * mapSide, 0, mapSide, mapSide, x, y + FILTER_TILE + 4, FILTER_TILE, FILTER_TILE);
      else { context.fillStyle = "#14181c"; context.fillRect(x, y + FILTER_TILE + 4, FILTER_TILE, FILTER_TILE); }
      let label = `filter ${f}`;
      if (conv.filterTuning) {
        let best = 0;
        for (let c = 1; c < exp.classes; c++) if (conv.filterTuning[f * exp.classes + c] > conv.filterTuning[f * exp.classes + best]) best = c;
        label = `${f}: ${className(best).slice(0, 8)}`;
      }
      context.fillStyle = "#1d232a";
      context.fillText(label, x + FILTER_TILE / 2, y + 2 * FILTER_TILE + 6);
    }
    canvas.dataset.strongest = maps ? String(Math.max(...maps)) : "";
  }

  // ---- a class ---------------------------------------------------------------------------------------
  function renderClass() {
    const exp = state.current, c = state.classIndex;
    for (const button of $("classes").children) button.setAttribute("aria-pressed", String(Number(button.dataset.index) === c));
    drawGray($("class-preferred"), exp.classImages, c * PIXELS);
    $("class-preferred-caption").textContent = `the input class ${className(c)} prefers (the network gives it ${percent(exp.classProbabilities[c])})`;
    const order = [];
    for (let j = 0; j < exp.units; j++) order.push([j, exp.classContributions[c * exp.units + j]]);
    order.sort((a, b) => b[1] - a[1]);
    const list = $("class-nodes");
    list.replaceChildren(...order.slice(0, Math.min(8, exp.units)).map(([node, value]) => nodeItem(exp, node, `${value >= 0 ? "+" : ""}${value.toFixed(2)}`)));
  }

  // ---- experiments -----------------------------------------------------------------------------------
  function select(name) {
    const exp = state.experiments.get(name);
    if (!exp) throw new Error(`no experiment called ${name}`);
    state.current = state.base = exp;
    state.node = Math.min(state.node, exp.units - 1);
    const slider = $("epoch");
    $("epoch-row").hidden = !exp.epochs;
    if (exp.epochs) {
      slider.max = String(exp.epochs.list.length - 1);
      slider.value = slider.max;
      $("epoch-label").textContent = `epoch ${exp.epochs.kept} (the kept epoch: the network the rest of the page describes), ` +
        `${percent(exp.epochs.accuracy[exp.epochs.list.length - 1])} right on the validation ${DATA.items}`;
      slider.dataset.epoch = String(exp.epochs.kept);
    }
    state.nodeChosen = false;
    for (const button of $("experiments").children) button.setAttribute("aria-pressed", String(button.dataset.name === name));
    $("experiment-label").textContent = `${name}: ${exp.label} — ${exp.units} hidden node${exp.units === 1 ? "" : "s"} on ` +
      `${{ pixels: "all 784 pixels", pca: `${exp.numInputs} PCA components`, top_pixels: `the random forest's ${exp.numInputs} top pixels` }[exp.kind]}` +
      `${exp.conv ? ` through ${convWords(exp.conv)}` : ""}` +
      `${exp.accuracy === null || exp.accuracy === undefined ? "" : `, ${percent(exp.accuracy)} right on the test ${DATA.items}`}.`;
    describeKind(exp);
    update();
    renderNode();
    renderClass();
  }

  const convWords = (conv) => `${conv.layers.length} convolutional layer${conv.layers.length === 1 ? "" : "s"} (` +
    `${conv.layers.map((layer) => `${layer.out} filters of ${layer.size}×${layer.size}`).join(", then ")}, each ${conv.activationName}` +
    `${conv.pool > 1 ? ` and max-pooled ${conv.pool}×${conv.pool}` : ""})`;

  // The words the page opens with are a dense network's; a convolutional network's tiles and pictures mean other things.
  const DENSE_WORDS = {};
  function describeKind(exp) {
    const ids = ["nodes-hint", "node-weights-caption", "node-preferred-caption"];
    for (const id of ids) if (!(id in DENSE_WORDS)) DENSE_WORDS[id] = $(id).textContent;
    const words = exp.conv ? {
      "nodes-hint": `Each tile is a node's sensitivity near the training ${DATA.items} that drive it most: how a little more ink at ` +
        "each pixel would move the node's input there, averaged over them (red: raise it, blue: lower it). Through the convolutions " +
        "a node has no single weight per pixel, " +
        "so this is its gradient, not its weights. Each tile is lit by the node's activation for your drawing now. " +
        "A gold frame marks the nodes that push the answer most; click a node to ask it.",
      "node-weights-caption": `its sensitivity near the training ${DATA.items} that drive it most (its mean gradient from the pixels; red: ink there raises it)`,
      "node-preferred-caption": "its preferred input (found by gradient ascent through the convolutions)",
    } : DENSE_WORDS;
    for (const id of ids) $(id).textContent = words[id];
    $("filters-view").hidden = !exp.conv;
    $("why-method").hidden = !exp.conv;
    $("why-method").textContent = exp.conv
      ? "A convolutional network: each pixel here is the slope of the class's score at your drawing times the pixel's difference " +
        `from the mean training ${DATA.item} (gradient × input, a first-order estimate), not the exact rescale rule (shap's values) ` +
        "the dense experiments show."
      : "";
    if (exp.conv) {
      const first = exp.conv.layers[0];
      $("filters-caption").textContent = `Top: each ${first.size}×${first.size} kernel of the first convolutional layer (red: ink there raises ` +
        "the filter, blue: lowers it; one colour scale for all). Below: its map of your drawing after the " +
        `${exp.conv.activationName}${exp.conv.pool > 1 ? ` and the ${exp.conv.pool}×${exp.conv.pool} max-pooling` : ""} ` +
        "(white: strong, black: zero or below; one scale for all filters, the strongest response now)." +
        (exp.conv.filterTuning ? ` Under each: the class whose ${DATA.items} make its map strongest on average.` : "");
    }
  }

  const escapeHtml = (text) => String(text).replace(/[&<>"]/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[ch]);

  function build() {
    const nav = $("experiments");
    for (const payload of DATA.experiments) {
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.name = payload.name;
      button.textContent = `${payload.name} · ${payload.units} node${payload.units === 1 ? "" : "s"}`;
      button.title = payload.label;
      button.addEventListener("click", () => select(payload.name));
      nav.append(button);
    }
    $("epoch").addEventListener("input", (event) => showEpoch(Number(event.target.value)));
    const classes = $("classes"), probabilities = $("probabilities"), legend = $("legend");
    DATA.class_names.forEach((name, c) => {
      const swatch = document.createElement("span");
      swatch.style.setProperty("--swatch", CLASS_COLOURS[c % 10]);
      swatch.textContent = name;
      legend.append(swatch);
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.index = c;
      button.textContent = name;
      button.addEventListener("click", () => { state.classIndex = c; renderClass(); });
      classes.append(button);
      const row = document.createElement("div");
      row.className = "probability";
      row.innerHTML = `<span>${escapeHtml(name)}</span><span class="bar"><span></span></span><span class="value"></span>`;
      probabilities.append(row);
    });
  }

  // ---- for tests and benchmarks: the page's own numbers ---------------------------------------------
  window.explorer = {
    timings,
    select,
    /** Probabilities for `count` digits given as one flat array of 784 values each, in [0, 1]. */
    run(name, flat, count) {
      const exp = state.experiments.get(name);
      const probabilities = [], hidden = [];
      for (let n = 0; n < count; n++) {
        const result = forward(exp, features(exp, flat.slice(n * PIXELS, (n + 1) * PIXELS)), exp.off);
        probabilities.push(Array.from(result.probabilities));
        hidden.push(Array.from(result.hidden));
      }
      return { probabilities, hidden };
    },
    /** Attributions of every digit in `flat` (784 values each) toward class `c`, as the page draws them. */
    attribution(name, flat, count, c) {
      const exp = state.experiments.get(name);
      const rows = [];
      for (let n = 0; n < count; n++) {
        const digit = flat.slice(n * PIXELS, (n + 1) * PIXELS);
        rows.push(Array.from(attribution(exp, digit, forward(exp, features(exp, digit), exp.off), c)));
      }
      return rows;
    },
    /** The 28x28 digit the page makes of a clean picture's grey levels (row by row, in [0, 1]). */
    preparePicture(gray, width, height) {
      const digit = mnistLike(pictureInk(Float32Array.from(gray), width, height), width, height);
      return digit ? Array.from(digit) : null;
    },
    /** The drawing's ink as the preparation reads it, or null: the pad's width x height grey levels, row by row,
     * as base64 bytes (ink = 1 - level / 255), which is all the canvas holds. */
    ink() {
      if (!state.ink) return null;
      let binary = "";
      for (let i = 0; i < state.ink.length; i++) binary += String.fromCharCode(Math.round(255 * (1 - state.ink[i])));
      return { width: pad.width, height: pad.height, levels: btoa(binary) };
    },
    state() {
      const exp = state.current, result = state.result;
      return {
        experiment: exp.name, epoch: exp.epochs ? exp.epochs.kept : (exp.epoch ?? null), node: state.node, classIndex: state.classIndex, off: Array.from(exp.off),
        digit: state.digit ? Array.from(state.digit) : null, redrawn: Boolean(state.redrawn),
        predicted: result ? result.predicted : null,
        probabilities: result ? Array.from(result.probabilities) : null,
        hidden: result ? Array.from(result.hidden) : null,
        why: state.why ? { classes: state.why.classes, maps: state.why.maps.map((values) => Array.from(values)) } : null,
        filterMaps: state.filterMaps ? Array.from(state.filterMaps) : null,
      };
    },
  };

  async function start() {
    build();
    clearPad();
    for (const payload of DATA.experiments) state.experiments.set(payload.name, await decodeExperiment(payload));
    const first = state.experiments.has(DATA.reference) ? DATA.reference : DATA.experiments[0].name;
    select(first);
    window.explorer.readyAt = performance.now();  // milliseconds from the start of navigation: the page is usable
    document.body.dataset.ready = "yes";
  }
  window.explorer.ready = start();
})();
