//go:build !js

package browsertest

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
)

// DecodePNG decodes a PNG screenshot.
func DecodePNG(data []byte) (image.Image, error) {
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("browsertest: decoding a screenshot: %w", err)
	}
	return img, nil
}

// Variance returns the variance of the luma of img's pixels, with luma
// 0.299 R + 0.587 G + 0.114 B in [0, 255]. A blank or single-colour image
// has variance 0, and a page of text or plots on a dark background has
// variance in the hundreds.
func Variance(img image.Image) float64 {
	b := img.Bounds()
	n := float64(b.Dx() * b.Dy())
	if n == 0 {
		return 0
	}
	var sum, sumSq float64
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			l := (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bl)) / 257
			sum += l
			sumSq += l * l
		}
	}
	mean := sum / n
	return sumSq/n - mean*mean
}
