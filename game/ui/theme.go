package ui

import (
	"image/color"

	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"golang.org/x/image/font/basicfont"
)

// Theme is the set of colours, sizes and the font that widgets draw with.
// Sizes are in logical pixels.
type Theme struct {
	Face text.Face

	Background color.RGBA // behind panels
	Panel      color.RGBA // panel fill
	Widget     color.RGBA // idle button, track and box fill
	Hover      color.RGBA // widget fill under the pointer
	Active     color.RGBA // widget fill while pressed
	Accent     color.RGBA // selection, slider fill, progress
	Border     color.RGBA
	Text       color.RGBA
	MutedText  color.RGBA // axis labels and captions
	Grid       color.RGBA // plot grid lines

	// Palette colours plot series that have no colour of their own, in order.
	Palette []color.RGBA

	RowHeight float64 // height of a widget row in a Panel
	Padding   float64 // space inside panels and widgets
	Gap       float64 // space between rows
}

// DefaultTheme returns a dark theme drawn with the 7×13 pixel font from
// golang.org/x/image/font/basicfont, which adds no font file to the binary.
func DefaultTheme() Theme {
	return Theme{
		Face:       text.NewGoXFace(basicfont.Face7x13),
		Background: rgb(0x101418),
		Panel:      rgb(0x1b2128),
		Widget:     rgb(0x2a323c),
		Hover:      rgb(0x36404c),
		Active:     rgb(0x46525f),
		Accent:     rgb(0x3d8fd6),
		Border:     rgb(0x4a5563),
		Text:       rgb(0xe6e9ed),
		MutedText:  rgb(0x9aa4af),
		Grid:       rgb(0x2c343d),
		Palette: []color.RGBA{
			rgb(0x4fc3f7), rgb(0xffb74d), rgb(0x81c784), rgb(0xe57373),
			rgb(0xba68c8), rgb(0xfff176),
		},
		RowHeight: 22,
		Padding:   6,
		Gap:       4,
	}
}
