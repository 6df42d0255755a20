//! The messages between `taskforce serve` and its clients, and their framing: a 4-byte
//! big-endian length, then the message in the store's codec. A frame longer than
//! [`MAX_FRAME`], or one that does not decode, ends that connection and nothing else.

use std::io::{self, Read, Write};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::io::import_file::{Failure, Outcome};
use crate::model::{Command, Committed, Kind, OnConflict, Timestamp};
use crate::store::{AuditEntry, CheckReport, CommandError, codec};

/// Bumped when a message changes shape; the handshake refuses a mismatch in words.
pub const PROTOCOL_VERSION: u32 = 8;

/// The largest frame either side accepts. An import file of any size is sent in pieces of
/// [`IMPORT_CHUNK`] bytes instead (`Request::ImportBegin`).
pub const MAX_FRAME: usize = 128 * 1024 * 1024;

/// The bytes of an import file sent in one `Request::ImportChunk` at most.
pub const IMPORT_CHUNK: usize = 4 * 1024 * 1024;

/// Rows per snapshot frame at most.
pub const SNAPSHOT_CHUNK: usize = 2000;

/// Bytes of stored records after which a snapshot frame is sent even if it holds fewer rows:
/// small frames keep the client's memory steady and bound what a client that stops reading
/// holds in the server (a couple of frames).
pub const SNAPSHOT_CHUNK_BYTES: usize = 256 * 1024;

/// The longest program name a client may give in its hello; longer ones are cut.
pub const MAX_PROGRAM: usize = 32;

/// A frame's buffer grows as its bytes arrive, from at most this much: a length prefix alone
/// (announcing up to `MAX_FRAME`) never makes the reader allocate what was not sent.
const FRAME_START: usize = 64 * 1024;

/// Messages live only between a socket and a queue, so a large `Submit` is not boxed.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum ClientMsg {
    Hello { protocol: u32, program: String },
    Request { id: u64, request: Request },
}

#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Request {
    /// Every record, as `SnapshotChunk`s and then `Reply::Snapshot`; from then on the client
    /// receives every commit as an `Event`.
    Snapshot,
    Submit {
        command: Command,
        on_behalf_of: Option<String>,
    },
    History {
        kind: Kind,
        id: String,
    },
    Audit {
        limit: usize,
    },
    Who,
    Check,
    /// Flush and stop the server (`taskforce stop`): for facilitators, root and the user the
    /// server runs as. Answered with `Reply::Stopping` before the server goes.
    Stop,
    /// One record as stored (`Reply::Record`), for commands that need one and not a snapshot.
    Get {
        kind: Kind,
        id: String,
    },
    /// The number of records of each kind and the last change (`Reply::Info`).
    Info,
    /// Every record of one kind, as `SnapshotChunk`s and then `Reply::Records` (a one-shot
    /// `list`): read like a snapshot, a chunk at a time, without subscribing to commits.
    Records {
        kind: Kind,
    },
    /// Starts sending an import file (JSON), which the server keeps on disk as it arrives, up
    /// to its limit (`Reply::ImportReady`); one at a time per connection.
    ImportBegin {
        on_conflict: OnConflict,
        source: String,
        dry_run: bool,
    },
    /// The next piece of the file, at most [`IMPORT_CHUNK`] bytes (`Reply::ImportReceived`).
    ImportChunk {
        #[serde(with = "bytes")]
        bytes: Vec<u8>,
    },
    /// The file is complete: import it, all or nothing (`Reply::Imported`).
    ImportEnd,
    /// A search, run by the server on its saved index and the changes since
    /// (`Reply::Search`): the client reads no records for it.
    Search(crate::search::wire::Asked),
}

#[derive(Debug, Serialize, Deserialize)]
pub enum ServerMsg {
    Welcome {
        protocol: u32,
        user: String,
        server_pid: u32,
    },
    Refused {
        reason: String,
    },
    /// The answer to request `id`: a refusal or failure is the store's own typed error, so
    /// that it reads and behaves the same as in a local store.
    Reply {
        id: u64,
        reply: Result<Reply, CommandError>,
    },
    SnapshotChunk {
        id: u64,
        rows: Vec<StoredRow>,
    },
    Event(Committed),
    Presence(Vec<Presence>),
    /// A commit too large to send as an event happened: take a new snapshot.
    Reload,
}

/// A record as the store keeps it, sent in a snapshot as bytes: the server copies them without
/// decoding (no strings built and dropped per record, which under twenty clients' snapshots
/// was most of its memory) and the client decodes them with `store::decode_stored`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredRow {
    pub kind: Kind,
    #[serde(with = "bytes")]
    pub key: Vec<u8>,
    #[serde(with = "bytes")]
    pub value: Vec<u8>,
}

/// Byte strings as one length and the bytes, not a sequence of numbers.
mod bytes {
    use serde::{Deserializer, Serializer, de};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(bytes)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        struct Bytes;
        impl<'de> de::Visitor<'de> for Bytes {
            type Value = Vec<u8>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
                Ok(v.to_vec())
            }
            fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
                Ok(v)
            }
        }
        d.deserialize_byte_buf(Bytes)
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub enum Reply {
    /// The snapshot is complete; records that did not decode are the client's to report.
    Snapshot {
        seq: u64,
    },
    Committed(Committed),
    History(Vec<AuditEntry>),
    Audit(Vec<AuditEntry>),
    Who(Vec<Presence>),
    Check(CheckReport),
    /// The server flushes and stops once the client has the answer.
    Stopping,
    Record(Option<StoredRow>),
    Info {
        seq: u64,
        counts: Vec<(Kind, u64)>,
    },
    /// The records of one kind are complete, as of `seq`.
    Records {
        seq: u64,
    },
    /// The server takes an import file of at most `max_bytes`.
    ImportReady {
        max_bytes: u64,
    },
    /// The bytes of the import file received so far.
    ImportReceived {
        bytes: u64,
    },
    /// What the import did, or why nothing was imported (with the place of every broken rule).
    Imported(Result<Outcome, Failure>),
    Search(crate::search::wire::Found),
}

/// Someone connected to the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Presence {
    pub user: String,
    pub pid: u32,
    pub program: String,
    pub since: Timestamp,
}

#[derive(Debug)]
pub enum FrameError {
    Closed,
    Io(io::Error),
    Oversized(usize),
    Malformed(String),
}

impl std::fmt::Display for FrameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FrameError::Closed => write!(f, "the connection was closed"),
            FrameError::Io(e) => write!(f, "{e}"),
            FrameError::Oversized(n) => {
                write!(f, "a frame of {n} bytes is over the limit of {MAX_FRAME}")
            }
            FrameError::Malformed(m) => write!(f, "a malformed message: {m}"),
        }
    }
}

pub fn write_frame<T: Serialize>(w: &mut impl Write, message: &T) -> io::Result<()> {
    w.write_all(&frame(message)?)?;
    w.flush()
}

/// Writes a handshake message (`Hello`, `Welcome`, `Refused`) in the oldest envelope, whose shape
/// every build reads: a client and a server of different versions still understand the message
/// that says so, whatever else changed between them.
pub fn write_handshake<T: Serialize>(w: &mut impl Write, message: &T) -> io::Result<()> {
    w.write_all(&handshake_frame(message))?;
    w.flush()
}

/// A handshake message as the bytes of its frame (see [`write_handshake`]).
pub fn handshake_frame<T: Serialize>(message: &T) -> Vec<u8> {
    length_first(&codec::encode_v1(message))
}

/// A message as the bytes of its frame (length first), refused when over `MAX_FRAME`; a
/// broadcast is encoded once and the same bytes go to every client.
pub fn frame<T: Serialize>(message: &T) -> io::Result<Vec<u8>> {
    let bytes = codec::encode(message);
    if bytes.len() > MAX_FRAME {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "a message of {} MB is larger than the {} MB the server accepts; for a file this large, \
                 import while no server runs (`taskforce who` shows who is connected)",
                bytes.len() / 1_000_000,
                MAX_FRAME / 1_000_000
            ),
        ));
    }
    Ok(length_first(&bytes))
}

/// Bytes as a frame: their length (4 bytes, big-endian), then the bytes.
fn length_first(bytes: &[u8]) -> Vec<u8> {
    let mut frame = Vec::with_capacity(bytes.len() + 4);
    frame.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    frame.extend_from_slice(bytes);
    frame
}

pub fn read_frame<T: DeserializeOwned>(r: &mut impl Read) -> Result<T, FrameError> {
    let mut len = [0u8; 4];
    if let Err(e) = r.read_exact(&mut len) {
        return Err(if e.kind() == io::ErrorKind::UnexpectedEof {
            FrameError::Closed
        } else {
            FrameError::Io(e)
        });
    }
    let len = u32::from_be_bytes(len) as usize;
    if len > MAX_FRAME {
        return Err(FrameError::Oversized(len));
    }
    // Grown as the bytes arrive (`read_to_end` doubles from the start), never from the prefix.
    let mut bytes = Vec::with_capacity(len.min(FRAME_START));
    r.take(len as u64)
        .read_to_end(&mut bytes)
        .map_err(FrameError::Io)?;
    if bytes.len() < len {
        return Err(FrameError::Io(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            format!(
                "the connection ended {} bytes into a frame of {len}",
                bytes.len()
            ),
        )));
    }
    codec::decode_message(&bytes).map_err(FrameError::Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The handshake is written in the oldest envelope, so that a build of another version still
    /// reads the refusal that says the versions differ.
    #[test]
    fn handshake_messages_are_in_the_version_1_envelope() {
        let frame = handshake_frame(&ServerMsg::Refused {
            reason: "use the same taskforce version on both sides".into(),
        });
        assert_eq!(frame[4], 0, "envelope tag of version 1");
        let back: ServerMsg = read_frame(&mut &frame[..]).unwrap();
        assert!(matches!(back, ServerMsg::Refused { reason } if reason.contains("same")));
        let mut hello = Vec::new();
        write_handshake(
            &mut hello,
            &ClientMsg::Hello {
                protocol: PROTOCOL_VERSION,
                program: "test".into(),
            },
        )
        .unwrap();
        assert_eq!(hello[4], 0);
    }

    #[test]
    fn snapshot_rows_carry_their_bytes_as_one_length_and_the_bytes() {
        let row = StoredRow {
            kind: Kind::Practice,
            key: b"gp-east".to_vec(),
            value: (0..=255u8).cycle().take(5000).collect(),
        };
        let message = ServerMsg::SnapshotChunk {
            id: 7,
            rows: vec![row.clone()],
        };
        let frame = frame(&message).unwrap();
        // 5000 bytes, not 5000 numbers of up to three bytes each.
        assert!(frame.len() < 5000 + 32, "{} bytes", frame.len());
        let ServerMsg::SnapshotChunk { id, rows } = read_frame(&mut frame.as_slice()).unwrap()
        else {
            panic!("another message came back");
        };
        assert_eq!((id, rows), (7, vec![row]));
    }

    #[test]
    fn frames_round_trip_and_refuse_garbage() {
        let mut buf = Vec::new();
        write_frame(
            &mut buf,
            &ClientMsg::Hello {
                protocol: 1,
                program: "t".into(),
            },
        )
        .unwrap();
        let back: ClientMsg = read_frame(&mut buf.as_slice()).unwrap();
        assert!(matches!(back, ClientMsg::Hello { protocol: 1, .. }));
        let oversized = (MAX_FRAME as u32 + 1).to_be_bytes();
        assert!(matches!(
            read_frame::<ClientMsg>(&mut oversized.as_slice()),
            Err(FrameError::Oversized(_))
        ));
        let garbage = [0, 0, 0, 3, 0xff, 0xff, 0xff];
        assert!(matches!(
            read_frame::<ClientMsg>(&mut garbage.as_slice()),
            Err(FrameError::Malformed(_))
        ));
        assert!(matches!(
            read_frame::<ClientMsg>(&mut [0u8, 0].as_slice()),
            Err(FrameError::Closed)
        ));
    }
}
