// Package screenshot stands in for github.com/kbinani/screenshot, vendored for the typed
// samples.
package screenshot

import "image"

func NumActiveDisplays() int { return 1 }

func GetDisplayBounds(i int) image.Rectangle { return image.Rectangle{} }

func CaptureDisplay(i int) (*image.RGBA, error) { return &image.RGBA{}, nil }

func CaptureRect(r image.Rectangle) (*image.RGBA, error) { return &image.RGBA{}, nil }

func Capture(x, y, w, h int) (*image.RGBA, error) { return &image.RGBA{}, nil }
