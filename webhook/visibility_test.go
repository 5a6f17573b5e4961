package webhook

import "testing"

func TestRepositoryPublic(t *testing.T) {
	t.Parallel()
	yes, no := true, false
	tests := []struct {
		name       string
		private    *bool
		visibility string
		want       bool
	}{
		{"visibility public", &no, "public", true},
		{"visibility private", &yes, "private", false},
		{"visibility internal", &yes, "internal", false},
		{"private false, no visibility (GHES)", &no, "", true},
		{"private true, no visibility", &yes, "", false},
		{"neither: not known to be public", nil, "", false},
		{"visibility wins over private", &no, "internal", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (repository{Private: tt.private, Visibility: tt.visibility}).public(); got != tt.want {
				t.Errorf("public() = %v, want %v", got, tt.want)
			}
		})
	}
}
