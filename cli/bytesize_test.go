package cli

import "testing"

func TestByteSize(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{"100", 100, false},
		{"100B", 100, false},
		{"512KiB", 512 << 10, false},
		{"10MiB", 10 << 20, false},
		{"10mb", 10 << 20, false},
		{"2M", 2 << 20, false},
		{"1GiB", 1 << 30, false},
		{"3x", 0, true},
		{"-1", 0, true},
		{"KiB", 0, true},
		{"99999999999G", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var b byteSize
			err := b.Set(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Set(%q) error %v, want error %v", tt.in, err, tt.wantErr)
			}
			if !tt.wantErr && int64(b) != tt.want {
				t.Errorf("Set(%q) = %d, want %d", tt.in, b, tt.want)
			}
		})
	}
	if b := byteSize(10 << 20); b.String() != "10MiB" {
		t.Errorf("String() = %q, want 10MiB", b.String())
	}
}
