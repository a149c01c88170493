// Package appicon holds Resepsjon's icon (the white R on blue of the UI's
// favicon) as PNG images, and builds the Windows .ico and macOS .icns
// containers from them. The release build and the tray icon use it.
package appicon

import (
	"bytes"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"image/png"
)

// PNG images of the icon at 512, 256 and 32 pixels square.
var (
	//go:embed icon-512.png
	PNG512 []byte
	//go:embed icon-256.png
	PNG256 []byte
	//go:embed icon-32.png
	PNG32 []byte
)

// ICO wraps PNG images in a Windows icon file (PNG-compressed entries, as
// Windows Vista and later read them). Each image must be a square PNG of at
// most 256 pixels.
func ICO(images ...[]byte) ([]byte, error) {
	if len(images) == 0 {
		return nil, errors.New("ico: no images")
	}
	var dir, data bytes.Buffer
	offset := 6 + 16*len(images)
	for i, img := range images {
		cfg, err := png.DecodeConfig(bytes.NewReader(img))
		if err != nil {
			return nil, fmt.Errorf("ico: image %d: %w", i, err)
		}
		if cfg.Width != cfg.Height || cfg.Width > 256 || cfg.Width < 1 {
			return nil, fmt.Errorf("ico: image %d is %dx%d, want a square of at most 256", i, cfg.Width, cfg.Height)
		}
		side := byte(cfg.Width) // 256 is written as 0
		dir.Write([]byte{side, side, 0, 0})
		binary.Write(&dir, binary.LittleEndian, uint16(1))  // colour planes
		binary.Write(&dir, binary.LittleEndian, uint16(32)) // bits per pixel
		binary.Write(&dir, binary.LittleEndian, uint32(len(img)))
		binary.Write(&dir, binary.LittleEndian, uint32(offset+data.Len()))
		data.Write(img)
	}
	var out bytes.Buffer
	binary.Write(&out, binary.LittleEndian, [3]uint16{0, 1, uint16(len(images))})
	out.Write(dir.Bytes())
	out.Write(data.Bytes())
	return out.Bytes(), nil
}

// icnsTypes maps a PNG's side to its .icns element type.
var icnsTypes = map[int]string{32: "ic11", 256: "ic08", 512: "ic09", 1024: "ic10"}

// ICNS wraps PNG images in a macOS icon file. Sides 32, 256, 512 and 1024
// are supported.
func ICNS(images ...[]byte) ([]byte, error) {
	var body bytes.Buffer
	for i, img := range images {
		cfg, err := png.DecodeConfig(bytes.NewReader(img))
		if err != nil {
			return nil, fmt.Errorf("icns: image %d: %w", i, err)
		}
		typ, ok := icnsTypes[cfg.Width]
		if !ok || cfg.Width != cfg.Height {
			return nil, fmt.Errorf("icns: image %d is %dx%d, want 32, 256, 512 or 1024 square", i, cfg.Width, cfg.Height)
		}
		body.WriteString(typ)
		binary.Write(&body, binary.BigEndian, uint32(8+len(img)))
		body.Write(img)
	}
	var out bytes.Buffer
	out.WriteString("icns")
	binary.Write(&out, binary.BigEndian, uint32(8+body.Len()))
	out.Write(body.Bytes())
	return out.Bytes(), nil
}
