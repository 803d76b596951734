"""The wire: frames with a size cap, and control messages that refuse garbage."""

import os
import socket
import struct

import pytest

from autograder.sandbox import protocol


def test_frames_come_out_whole_however_the_bytes_are_split():
    stream = protocol.pack_frame(b"first") + protocol.pack_frame(b"") + protocol.pack_frame(b"third")
    reader = protocol.FrameReader(max_size=100)
    frames = []
    for byte in stream:
        reader.feed(bytes([byte]))
        while (frame := reader.next_frame()) is not None:
            frames.append(frame)
    assert frames == [b"first", b"", b"third"]


def test_an_oversized_frame_is_refused_from_its_header_alone():
    reader = protocol.FrameReader(max_size=1024)
    with pytest.raises(protocol.ProtocolError, match="over the limit of 1024"):
        reader.feed(struct.pack("!I", 2**32 - 1))


def test_an_oversized_frame_behind_a_good_one_is_refused():
    reader = protocol.FrameReader(max_size=10)
    reader.feed(protocol.pack_frame(b"ok"))
    with pytest.raises(protocol.ProtocolError):
        reader.feed(struct.pack("!I", 11))


def test_read_frame_reports_a_closed_channel():
    ours, theirs = socket.socketpair()
    with ours, theirs:
        theirs.sendall(protocol.pack_frame(b"hello"))
        theirs.close()
        assert protocol.read_frame(ours, 100) == b"hello"
        with pytest.raises(EOFError):
            protocol.read_frame(ours, 100)


def test_control_messages_carry_fds():
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    read_end, write_end = os.pipe()
    with ours, theirs:
        protocol.send_message(ours, {"op": "spawn"}, [write_end])
        message, fds = protocol.receive_message(theirs)
        assert message == {"op": "spawn"} and len(fds) == 1
        os.write(fds[0], b"x")
        assert os.read(read_end, 1) == b"x"
    for fd in (read_end, write_end, *fds):
        os.close(fd)


@pytest.mark.parametrize("garbage", [b"\xff\xfe not json", b"[1, 2, 3]", b"\"a string\""])
def test_a_control_message_that_is_not_a_json_object_is_refused(garbage):
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    with ours, theirs:
        ours.send(garbage)
        with pytest.raises(protocol.ProtocolError):
            protocol.receive_message(theirs)


def test_a_closed_control_channel_reads_as_none():
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    ours.close()
    with theirs:
        assert protocol.receive_message(theirs) == (None, [])
