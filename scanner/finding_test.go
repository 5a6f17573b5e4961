package scanner

import "fmt"

// ExampleRedact shows the only form in which a secret leaves the scanner.
func ExampleRedact() {
	fmt.Println(Redact("ghp_R4nd0mCharactersThatAreNotARealToken1"))
	// Output: ghp_R4… (41 chars)
}
