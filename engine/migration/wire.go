package migration

import (
	"errors"

	pg "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/encoding/protowire"
)

// pg_query hands back scanner tokens as protobuf. Decoding them through pg_query_go's
// generated messages costs more than the C scanner itself (one heap object per
// token), so the message is read here field by field, tokens going straight into a
// []Token. (Parse trees come from internal/pgtree, without protobuf.) Field numbers
// are those of pg_query.proto (v5): ScanResult{version=1, tokens=2},
// ScanToken{start=1, end=2, token=4, keyword_kind=5}.

var errWire = errors.New("malformed protobuf from pg_query")

// messages calls each with the bytes of every message in field 2 (ScanResult's
// tokens), skipping the other fields.
func messages(b []byte, each func(msg []byte) error) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return errWire
		}
		b = b[n:]
		if num != 2 || typ != protowire.BytesType {
			if n = protowire.ConsumeFieldValue(num, typ, b); n < 0 {
				return errWire
			}
			b = b[n:]
			continue
		}
		msg, n := protowire.ConsumeBytes(b)
		if n < 0 {
			return errWire
		}
		b = b[n:]
		if err := each(msg); err != nil {
			return err
		}
	}
	return nil
}

// fields calls each with every field of a message; v is a varint's value, bytes a
// length-delimited field's bytes.
func fields(msg []byte, each func(num protowire.Number, v uint64, bytes []byte)) error {
	for len(msg) > 0 {
		num, typ, n := protowire.ConsumeTag(msg)
		if n < 0 {
			return errWire
		}
		msg = msg[n:]
		switch typ {
		case protowire.VarintType:
			v, n := protowire.ConsumeVarint(msg)
			if n < 0 {
				return errWire
			}
			each(num, v, nil)
			msg = msg[n:]
		case protowire.BytesType:
			bs, n := protowire.ConsumeBytes(msg)
			if n < 0 {
				return errWire
			}
			each(num, 0, bs)
			msg = msg[n:]
		default:
			if n = protowire.ConsumeFieldValue(num, typ, msg); n < 0 {
				return errWire
			}
			msg = msg[n:]
		}
	}
	return nil
}

// decodeTokens appends the tokens of a ScanResult to out, adding base to offsets.
func decodeTokens(b []byte, base int, out []Token) ([]Token, error) {
	err := messages(b, func(msg []byte) error {
		t := Token{Start: int32(base), End: int32(base)} // proto3 leaves out zero offsets
		err := fields(msg, func(num protowire.Number, v uint64, _ []byte) {
			switch num {
			case 1:
				t.Start += int32(v)
			case 2:
				t.End += int32(v)
			case 4:
				t.Kind = pg.Token(int32(v))
			}
		})
		out = append(out, t)
		return err
	})
	return out, err
}
