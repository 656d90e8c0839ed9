using System.Numerics;

namespace VoiceAgent.Listening.Echo;

/// <summary>Element-wise arithmetic on spectra kept as separate real and imaginary parts, the
/// inner loops of the <see cref="FrequencyDomainEchoCanceller"/> (vectorised where the
/// hardware allows).</summary>
internal static class SpectrumMath
{
    public static void AddPower(ReadOnlySpan<float> re, ReadOnlySpan<float> im, float weight, Span<float> power)
    {
        var width = Vector<float>.Count;
        var w = new Vector<float>(weight);
        var k = 0;
        for (; k <= re.Length - width; k += width)
        {
            var r = new Vector<float>(re[k..]);
            var i = new Vector<float>(im[k..]);
            (new Vector<float>(power[k..]) + w * (r * r + i * i)).CopyTo(power[k..]);
        }
        for (; k < re.Length; k++) power[k] += weight * (re[k] * re[k] + im[k] * im[k]);
    }

    public static float Norm(ReadOnlySpan<float> re, ReadOnlySpan<float> im)
    {
        var sum = 0f;
        for (var k = 0; k < re.Length; k++) sum += re[k] * re[k] + im[k] * im[k];
        return MathF.Sqrt(sum);
    }

    /// <summary>(accRe + i accIm) += (aRe + i aIm)(bRe + i bIm), element-wise.</summary>
    public static void MultiplyAdd(ReadOnlySpan<float> aRe, ReadOnlySpan<float> aIm, ReadOnlySpan<float> bRe, ReadOnlySpan<float> bIm, Span<float> accRe, Span<float> accIm)
    {
        var width = Vector<float>.Count;
        var k = 0;
        for (; k <= aRe.Length - width; k += width)
        {
            var ar = new Vector<float>(aRe[k..]);
            var ai = new Vector<float>(aIm[k..]);
            var br = new Vector<float>(bRe[k..]);
            var bi = new Vector<float>(bIm[k..]);
            (new Vector<float>(accRe[k..]) + ar * br - ai * bi).CopyTo(accRe[k..]);
            (new Vector<float>(accIm[k..]) + ar * bi + ai * br).CopyTo(accIm[k..]);
        }
        for (; k < aRe.Length; k++)
        {
            accRe[k] += aRe[k] * bRe[k] - aIm[k] * bIm[k];
            accIm[k] += aRe[k] * bIm[k] + aIm[k] * bRe[k];
        }
    }

    /// <summary>(accRe + i accIm) += conj(xRe + i xIm)(eRe + i eIm), element-wise.</summary>
    public static void ConjugateMultiplyAdd(ReadOnlySpan<float> xRe, ReadOnlySpan<float> xIm, ReadOnlySpan<float> eRe, ReadOnlySpan<float> eIm, Span<float> accRe, Span<float> accIm)
    {
        var width = Vector<float>.Count;
        var k = 0;
        for (; k <= xRe.Length - width; k += width)
        {
            var xr = new Vector<float>(xRe[k..]);
            var xi = new Vector<float>(xIm[k..]);
            var er = new Vector<float>(eRe[k..]);
            var ei = new Vector<float>(eIm[k..]);
            (new Vector<float>(accRe[k..]) + xr * er + xi * ei).CopyTo(accRe[k..]);
            (new Vector<float>(accIm[k..]) + xr * ei - xi * er).CopyTo(accIm[k..]);
        }
        for (; k < xRe.Length; k++)
        {
            accRe[k] += xRe[k] * eRe[k] + xIm[k] * eIm[k];
            accIm[k] += xRe[k] * eIm[k] - xIm[k] * eRe[k];
        }
    }
}
