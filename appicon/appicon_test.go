package appicon

import (
	"bytes"
	"encoding/binary"
	"image/png"
	"testing"
)

func TestEmbeddedPNGs(t *testing.T) {
	for side, data := range map[int][]byte{512: PNG512, 256: PNG256, 32: PNG32} {
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%d: %v", side, err)
		}
		if b := img.Bounds(); b.Dx() != side || b.Dy() != side {
			t.Errorf("icon-%d.png is %v", side, b)
		}
		// The rounded corners are transparent, the centre is not.
		if _, _, _, a := img.At(0, 0).RGBA(); a != 0 {
			t.Errorf("icon-%d.png: corner alpha %d, want transparent", side, a)
		}
		if _, _, _, a := img.At(side/2, side/2).RGBA(); a == 0 {
			t.Errorf("icon-%d.png: centre is transparent", side)
		}
	}
}

func TestICO(t *testing.T) {
	ico, err := ICO(PNG256, PNG32)
	if err != nil {
		t.Fatal(err)
	}
	var hdr [3]uint16
	binary.Read(bytes.NewReader(ico), binary.LittleEndian, &hdr)
	if hdr != [3]uint16{0, 1, 2} {
		t.Fatalf("header %v, want reserved 0, type 1 (icon), 2 images", hdr)
	}
	for i, want := range []struct {
		side byte
		img  []byte
	}{{0, PNG256}, {32, PNG32}} {
		e := ico[6+16*i : 6+16*(i+1)]
		size := binary.LittleEndian.Uint32(e[8:])
		off := binary.LittleEndian.Uint32(e[12:])
		if e[0] != want.side || e[1] != want.side || !bytes.Equal(ico[off:off+size], want.img) {
			t.Errorf("entry %d: side %d, data at %d+%d does not hold the PNG", i, e[0], off, size)
		}
	}
	if _, err := ICO(PNG512); err == nil {
		t.Error("ICO took a 512-pixel image")
	}
	if _, err := ICO([]byte("not a png")); err == nil {
		t.Error("ICO took a non-PNG")
	}
}

func TestICNS(t *testing.T) {
	icns, err := ICNS(PNG512, PNG256, PNG32)
	if err != nil {
		t.Fatal(err)
	}
	if string(icns[:4]) != "icns" || int(binary.BigEndian.Uint32(icns[4:])) != len(icns) {
		t.Fatalf("header %q %d, want icns and the file length %d", icns[:4], binary.BigEndian.Uint32(icns[4:]), len(icns))
	}
	var types []string
	for p := 8; p < len(icns); {
		n := int(binary.BigEndian.Uint32(icns[p+4:]))
		types = append(types, string(icns[p:p+4]))
		p += n
	}
	if got := types; len(got) != 3 || got[0] != "ic09" || got[1] != "ic08" || got[2] != "ic11" {
		t.Errorf("element types %v, want ic09 ic08 ic11", got)
	}
	if _, err := ICNS(PNG32[:20]); err == nil {
		t.Error("ICNS took a broken PNG")
	}
}
