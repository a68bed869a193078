"""The shared default 360° questionnaire BERAKHLAK-MANAJERIAL, revision 1: two items for
each BerAKHLAK core value (BA.1–BA.7) and each managerial competency (M.1–M.8), every point
of the 1–5 scale anchored by observable behaviour, in Indonesian and English.

The M.n anchors follow the level descriptors of the organisation migration: 1 falls short
in one's own work, 3 does what the role expects, 5 sets the standard for the unit or agency.

Revision ID: 20261129_feedback_default_q
Revises: 20261128_feedback
Create Date: 2026-11-24 17:00:00+00:00
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261129_feedback_default_q"
down_revision: str | None = "20261128_feedback"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUESTIONNAIRE_ID = uuid.UUID("5db18617-cfb9-5d05-932b-337755f69ce6")
"""uuid5(NAMESPACE_URL, "https://asn-career.id/feedback/questionnaires/BERAKHLAK-MANAJERIAL/1")."""
CODE = "BERAKHLAK-MANAJERIAL"
TITLE_ID = "Umpan Balik 360° Nilai Dasar BerAKHLAK dan Kompetensi Manajerial"
TITLE_EN = "360° feedback on the BerAKHLAK core values and managerial competencies"
DESCRIPTION = (
    "Kuesioner bawaan untuk semua instansi: dua butir untuk setiap nilai dasar ASN "
    "BerAKHLAK (BA.1–BA.7) dan setiap kompetensi manajerial (M.1–M.8), dinilai pada skala "
    "1–5 dengan contoh perilaku di setiap titik skala."
)

Anchor = tuple[str, str]
Item = tuple[str, str, str, str, str, tuple[Anchor, Anchor, Anchor, Anchor, Anchor]]

# (code, dimension kind, dimension code, text id, text en, anchors 1–5 as (id, en))
ITEMS: tuple[Item, ...] = (
    # --- BA.1 Berorientasi Pelayanan ---------------------------------------------------
    ("BA1-a", "value", "BA.1",
     "Memahami dan memenuhi kebutuhan masyarakat atau pengguna layanan",
     "Understands and meets the needs of the public or other service users",
     (("Jarang menanyakan kebutuhan pengguna layanan dan sering mengabaikan permintaan mereka",
       "Seldom asks what service users need and often ignores their requests"),
      ("Melayani bila diminta, tetapi belum berusaha memahami kebutuhan pengguna layanan",
       "Serves when asked, but makes little effort to understand what users need"),
      ("Menanyakan kebutuhan pengguna layanan dan menindaklanjutinya sesuai prosedur",
       "Asks users what they need and follows up according to procedure"),
      ("Mengantisipasi kebutuhan pengguna layanan dan menuntaskannya tanpa perlu diingatkan",
       "Anticipates users' needs and resolves them fully without being reminded"),
      ("Mengubah cara kerja unit berdasarkan masukan pengguna layanan dan menjadi rujukan "
       "rekan dalam melayani",
       "Changes how the unit works based on users' feedback and is the colleague others "
       "turn to on service"))),
    ("BA1-b", "value", "BA.1",
     "Ramah, cekatan, solutif, dan dapat diandalkan dalam memberikan pelayanan",
     "Is friendly, quick, solution-minded and dependable when serving people",
     (("Sering bersikap ketus atau menunda pelayanan tanpa alasan yang jelas",
       "Is often curt or delays service without a clear reason"),
      ("Kadang ramah, tetapi lambat atau kurang tuntas saat menghadapi permintaan yang tidak "
       "biasa",
       "Is sometimes friendly, but slow or leaves things unfinished with unusual requests"),
      ("Melayani dengan sopan dan tepat waktu untuk permintaan yang biasa",
       "Serves politely and on time for routine requests"),
      ("Tetap ramah dan cepat mencari jalan keluar ketika menghadapi keluhan atau "
       "permintaan yang sulit",
       "Stays courteous and quickly finds a way forward with complaints or difficult "
       "requests"),
      ("Menjadi teladan pelayanan yang ramah dan solutif serta membantu rekan menangani "
       "kasus yang sulit",
       "Sets the example of courteous, solution-minded service and helps colleagues with "
       "hard cases"))),
    # --- BA.2 Akuntabel ------------------------------------------------------------------
    ("BA2-a", "value", "BA.2",
     "Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, dan disiplin",
     "Carries out duties honestly, responsibly, carefully and with discipline",
     (("Sering lalai atau tidak menyelesaikan tugas, dan menghindar bila diminta "
       "pertanggungjawaban",
       "Often neglects or leaves tasks unfinished, and dodges being held to account"),
      ("Menyelesaikan tugas, tetapi sering terlambat atau kurang cermat sehingga perlu "
       "diawasi",
       "Finishes tasks, but often late or carelessly, and needs to be checked on"),
      ("Menyelesaikan tugas dengan cermat dan tepat waktu, serta mengakui kesalahan bila "
       "terjadi",
       "Finishes tasks carefully and on time, and owns up to mistakes"),
      ("Bertanggung jawab penuh atas hasil kerjanya, melaporkan kemajuan tanpa diminta, dan "
       "segera memperbaiki kesalahan",
       "Takes full ownership of results, reports progress unasked and puts mistakes right "
       "at once"),
      ("Menjadi teladan integritas dan mendorong budaya saling bertanggung jawab di unit "
       "kerjanya",
       "Is a model of integrity and builds a culture of mutual accountability in the unit"))),
    ("BA2-b", "value", "BA.2",
     "Menggunakan anggaran dan barang milik negara secara bertanggung jawab, efektif, dan "
     "efisien, serta tidak menyalahgunakan kewenangan jabatan",
     "Uses public funds and property responsibly, effectively and efficiently, and never "
     "abuses the authority of office",
     (("Memakai fasilitas atau anggaran kantor untuk kepentingan pribadi",
       "Uses office facilities or funds for private ends"),
      ("Tidak menyalahgunakan fasilitas, tetapi kurang memperhatikan penghematan dan "
       "pencatatan",
       "Does not misuse facilities, but pays little attention to thrift and record-keeping"),
      ("Memakai fasilitas dan anggaran sesuai ketentuan dan mencatatnya dengan tertib",
       "Uses facilities and funds as the rules say and keeps orderly records"),
      ("Aktif mencari cara menghemat sumber daya dan menolak setiap bentuk penyalahgunaan "
       "kewenangan",
       "Actively looks for ways to save resources and refuses any abuse of authority"),
      ("Memperbaiki tata kelola sumber daya di unitnya dan berani mengingatkan bila ada "
       "penyalahgunaan",
       "Improves how the unit manages its resources and speaks up when they are misused"))),
    # --- BA.3 Kompeten -------------------------------------------------------------------
    ("BA3-a", "value", "BA.3",
     "Meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah",
     "Builds their own competence to meet ever-changing challenges",
     (("Tidak berusaha mempelajari hal baru meskipun tuntutan pekerjaan berubah",
       "Makes no effort to learn new things even as the job changes"),
      ("Mengikuti pelatihan bila ditugaskan, tetapi jarang menerapkan hasilnya",
       "Attends training when sent, but seldom applies what was learnt"),
      ("Mempelajari hal baru yang dibutuhkan tugasnya dan menerapkannya dalam pekerjaan",
       "Learns what the job needs and applies it at work"),
      ("Mencari kesempatan belajar atas prakarsa sendiri dan cepat menguasai keterampilan "
       "baru",
       "Seeks out learning on their own initiative and masters new skills quickly"),
      ("Menjadi rujukan keahlian bagi rekan kerja dan terus memperbarui pengetahuannya",
       "Is the colleague others consult for expertise and keeps their knowledge current"))),
    ("BA3-b", "value", "BA.3",
     "Membantu orang lain belajar dan melaksanakan tugas dengan kualitas terbaik",
     "Helps others learn and does their own work to the best standard",
     (("Hasil kerjanya sering harus diperbaiki orang lain dan enggan berbagi pengetahuan",
       "Their work often has to be redone by others, and they are reluctant to share "
       "knowledge"),
      ("Hasil kerjanya memadai untuk tugas rutin; berbagi pengetahuan hanya bila diminta",
       "Their work is adequate for routine tasks; they share knowledge only when asked"),
      ("Hasil kerjanya sesuai standar dan bersedia menjelaskan cara kerja kepada rekan",
       "Their work meets the standard and they readily explain how things are done"),
      ("Hasil kerjanya melampaui standar dan secara aktif membimbing rekan yang membutuhkan",
       "Their work exceeds the standard and they actively coach colleagues who need it"),
      ("Menetapkan standar mutu kerja bagi unitnya dan membangun kebiasaan saling belajar",
       "Sets the quality standard for the unit and builds a habit of learning from each "
       "other"))),
    # --- BA.4 Harmonis -------------------------------------------------------------------
    ("BA4-a", "value", "BA.4",
     "Menghargai setiap orang apa pun latar belakangnya",
     "Respects everyone, whatever their background",
     (("Membeda-bedakan perlakuan berdasarkan suku, agama, golongan, atau jabatan",
       "Treats people differently by ethnicity, religion, rank or position"),
      ("Umumnya sopan, tetapi kadang meremehkan pendapat orang yang berbeda latar belakang",
       "Is usually polite, but sometimes belittles the views of people unlike them"),
      ("Bersikap adil dan sopan kepada semua orang",
       "Is fair and polite to everyone"),
      ("Menghargai perbedaan pandangan dan memastikan setiap orang didengar",
       "Values differing views and makes sure everyone is heard"),
      ("Membangun suasana kerja yang inklusif dan menjadi panutan dalam menghargai "
       "keberagaman",
       "Builds an inclusive workplace and is a model of respect for diversity"))),
    ("BA4-b", "value", "BA.4",
     "Suka menolong orang lain dan membangun lingkungan kerja yang kondusif",
     "Is glad to help others and builds a good working atmosphere",
     (("Sering memicu atau membiarkan konflik dan enggan membantu rekan",
       "Often starts or lets conflicts run, and is unwilling to help colleagues"),
      ("Membantu rekan bila diminta, tetapi kurang peduli pada suasana kerja",
       "Helps colleagues when asked, but cares little about the atmosphere at work"),
      ("Membantu rekan yang kesulitan dan menjaga hubungan kerja yang baik",
       "Helps colleagues in difficulty and keeps good working relations"),
      ("Menawarkan bantuan tanpa diminta dan ikut meredakan ketegangan di tim",
       "Offers help unasked and helps ease tension in the team"),
      ("Aktif menciptakan suasana kerja yang saling mendukung dan membantu menyelesaikan "
       "konflik secara adil",
       "Actively creates a supportive workplace and helps settle conflicts fairly"))),
    # --- BA.5 Loyal ----------------------------------------------------------------------
    ("BA5-a", "value", "BA.5",
     "Memegang teguh Pancasila dan UUD 1945, setia kepada NKRI, serta pemerintahan yang sah",
     "Upholds Pancasila and the 1945 Constitution, and is loyal to the Republic and its "
     "lawful government",
     (("Menunjukkan sikap atau ucapan yang bertentangan dengan Pancasila atau merendahkan "
       "pemerintahan yang sah",
       "Acts or speaks against Pancasila or disparages the lawful government"),
      ("Tidak menentang, tetapi kurang peduli pada nilai kebangsaan dalam bertugas",
       "Does not oppose them, but shows little regard for national values at work"),
      ("Bersikap dan bertutur sesuai nilai Pancasila dan menaati kebijakan pemerintah",
       "Acts and speaks in line with Pancasila and follows government policy"),
      ("Menjelaskan kebijakan pemerintah secara jernih kepada masyarakat dan rekan, serta "
       "meluruskan informasi yang keliru",
       "Explains government policy clearly to the public and colleagues, and corrects "
       "misinformation"),
      ("Menjadi teladan kesetiaan kepada negara dan menggerakkan rekan menjunjung nilai "
       "kebangsaan",
       "Is a model of loyalty to the state and moves colleagues to uphold national "
       "values"))),
    ("BA5-b", "value", "BA.5",
     "Menjaga nama baik sesama ASN, pimpinan, instansi, dan negara, serta menjaga rahasia "
     "jabatan dan negara",
     "Protects the good name of fellow civil servants, leaders, the agency and the state, "
     "and keeps official secrets",
     (("Menyebarkan informasi internal atau menjelekkan instansi di depan umum atau di media "
       "sosial",
       "Leaks internal information or runs the agency down in public or on social media"),
      ("Kadang kurang berhati-hati membicarakan urusan kantor di luar",
       "Is sometimes careless when talking about office matters outside"),
      ("Menjaga kerahasiaan informasi jabatan dan menyampaikan kritik melalui saluran yang "
       "tepat",
       "Keeps official information confidential and raises criticism through proper "
       "channels"),
      ("Menjaga citra instansi di setiap kesempatan dan mengingatkan rekan yang ceroboh "
       "dengan informasi",
       "Protects the agency's image at every turn and cautions colleagues careless with "
       "information"),
      ("Menjadi panutan dalam menjaga kehormatan instansi dan membangun kepercayaan publik "
       "kepadanya",
       "Is a model in guarding the agency's honour and builds public trust in it"))),
    # --- BA.6 Adaptif --------------------------------------------------------------------
    ("BA6-a", "value", "BA.6",
     "Cepat menyesuaikan diri menghadapi perubahan",
     "Adapts quickly to change",
     (("Menolak perubahan cara kerja dan tetap bertahan dengan cara lama",
       "Resists new ways of working and sticks to the old ones"),
      ("Menerima perubahan setelah berulang kali diarahkan, tetapi lambat menyesuaikan diri",
       "Accepts change after repeated prompting, but adjusts slowly"),
      ("Menyesuaikan diri dengan perubahan prosedur atau aplikasi dalam waktu yang wajar",
       "Adjusts to new procedures or applications in reasonable time"),
      ("Cepat menguasai cara kerja baru dan membantu rekan beradaptasi",
       "Quickly masters new ways of working and helps colleagues adapt"),
      ("Memprakarsai dan memimpin perubahan di unitnya dengan tetap menjaga kelancaran "
       "layanan",
       "Initiates and leads change in the unit while keeping the service running "
       "smoothly"))),
    ("BA6-b", "value", "BA.6",
     "Terus berinovasi dan mengembangkan kreativitas, serta bertindak proaktif",
     "Keeps innovating and being creative, and acts proactively",
     (("Tidak pernah mengusulkan perbaikan dan menunggu perintah untuk bertindak",
       "Never suggests improvements and waits to be told what to do"),
      ("Sesekali mengusulkan gagasan, tetapi jarang menindaklanjutinya",
       "Occasionally puts forward ideas, but seldom follows them through"),
      ("Mengusulkan perbaikan cara kerja dan melaksanakannya bila disetujui",
       "Proposes better ways of working and carries them out once approved"),
      ("Secara proaktif mencoba cara baru yang membuat pekerjaan lebih cepat atau lebih baik",
       "Proactively tries new approaches that make the work faster or better"),
      ("Menghasilkan inovasi yang dipakai luas di instansi dan mendorong rekan berinovasi",
       "Produces innovations adopted across the agency and encourages colleagues to "
       "innovate"))),
    # --- BA.7 Kolaboratif ----------------------------------------------------------------
    ("BA7-a", "value", "BA.7",
     "Memberi kesempatan kepada berbagai pihak untuk berkontribusi",
     "Gives others, inside and outside the unit, the chance to contribute",
     (("Bekerja sendiri dan menutup diri dari masukan pihak lain",
       "Works alone and shuts out input from others"),
      ("Menerima masukan bila diminta pimpinan, tetapi jarang melibatkan pihak lain",
       "Accepts input when the manager asks for it, but seldom involves others"),
      ("Melibatkan rekan dan pihak terkait dalam pekerjaan yang membutuhkannya",
       "Involves colleagues and stakeholders in work that needs them"),
      ("Mengajak pihak di luar unitnya berkontribusi dan menghargai sumbangan mereka",
       "Invites people outside the unit to contribute and values what they bring"),
      ("Membangun jejaring kerja sama lintas unit atau instansi yang menghasilkan manfaat "
       "nyata",
       "Builds partnerships across units or agencies that deliver real benefits"))),
    ("BA7-b", "value", "BA.7",
     "Terbuka bekerja sama untuk menghasilkan nilai tambah dan menggerakkan berbagai sumber "
     "daya untuk tujuan bersama",
     "Is open to working together to add value, and brings resources together for shared "
     "goals",
     (("Enggan berbagi data atau sumber daya dengan unit lain",
       "Is unwilling to share data or resources with other units"),
      ("Berbagi data atau sumber daya hanya bila diwajibkan",
       "Shares data or resources only when required to"),
      ("Berbagi informasi dan sumber daya dengan unit lain sesuai kebutuhan",
       "Shares information and resources with other units as needed"),
      ("Menawarkan data, keahlian, atau sarana unitnya untuk kegiatan bersama",
       "Offers the unit's data, expertise or facilities for joint work"),
      ("Menggerakkan berbagai pihak memadukan sumber daya sehingga tujuan bersama tercapai "
       "lebih baik",
       "Brings parties to pool their resources so that shared goals are better met"))),
    # --- M.1 Integritas ------------------------------------------------------------------
    ("M1-a", "competency", "M.1",
     "Bertindak jujur dan konsisten antara perkataan dan perbuatan",
     "Acts honestly; their words and deeds match",
     (("Perkataan dan perbuatannya sering tidak sejalan; janji kerja kerap tidak ditepati",
       "What they say and do often differ; work commitments are frequently broken"),
      ("Umumnya jujur, tetapi kadang menutupi kekeliruan kecil",
       "Is generally honest, but sometimes hides small mistakes"),
      ("Jujur dalam melaporkan hasil kerja, termasuk kekeliruannya sendiri",
       "Reports on their work honestly, their own mistakes included"),
      ("Tetap jujur dan konsisten meskipun di bawah tekanan atau merugikan dirinya",
       "Stays honest and consistent even under pressure or at a cost to themselves"),
      ("Menjadi teladan kejujuran dan membangun budaya keterbukaan di unit kerjanya",
       "Is a model of honesty and builds a culture of openness in the unit"))),
    ("M1-b", "competency", "M.1",
     "Menaati aturan dan kode etik serta menolak gratifikasi dan konflik kepentingan",
     "Keeps to the rules and the code of ethics, and refuses gratuities and conflicts of "
     "interest",
     (("Melanggar aturan atau menerima pemberian yang terkait dengan jabatannya",
       "Breaks rules or accepts gifts connected with their office"),
      ("Menaati aturan bila diawasi, tetapi kurang memahami batas konflik kepentingan",
       "Follows the rules when watched, but is unclear where conflicts of interest begin"),
      ("Menaati aturan dan kode etik serta menolak pemberian yang terkait dengan jabatan",
       "Follows the rules and the code of ethics and turns down gifts connected with office"),
      ("Mengingatkan rekan tentang aturan dan etika, serta mengungkapkan konflik kepentingan "
       "secara terbuka",
       "Reminds colleagues of rules and ethics and discloses conflicts of interest openly"),
      ("Memperkuat sistem pencegahan pelanggaran etika di unit atau instansinya",
       "Strengthens the safeguards against ethical breaches in the unit or agency"))),
    # --- M.2 Kerja Sama ------------------------------------------------------------------
    ("M2-a", "competency", "M.2",
     "Berperan aktif dalam kerja tim dan menyelesaikan bagiannya",
     "Takes an active part in team work and delivers their share",
     (("Jarang terlibat dalam kegiatan tim dan bagiannya sering tidak selesai",
       "Seldom joins in team work, and their share is often left undone"),
      ("Mengerjakan bagiannya bila ditugaskan secara khusus, tetapi pasif dalam tim",
       "Does their share when specifically assigned, but is passive in the team"),
      ("Menyelesaikan bagiannya tepat waktu dan ikut aktif dalam pembahasan tim",
       "Finishes their share on time and takes an active part in team discussions"),
      ("Membantu anggota tim lain menyelesaikan bagiannya demi hasil bersama",
       "Helps other team members finish their parts for the sake of the shared result"),
      ("Menyatukan tim dengan beragam kepentingan sehingga bekerja sebagai satu kesatuan",
       "Brings a team with differing interests together to work as one"))),
    ("M2-b", "competency", "M.2",
     "Berbagi informasi dan menghargai masukan rekan kerja",
     "Shares information and values colleagues' input",
     (("Menyimpan informasi untuk diri sendiri dan mengabaikan masukan rekan",
       "Keeps information to themselves and ignores colleagues' input"),
      ("Berbagi informasi bila ditanya dan hanya sedikit mempertimbangkan masukan",
       "Shares information when asked and gives input little weight"),
      ("Berbagi informasi yang relevan tepat waktu dan mempertimbangkan masukan rekan",
       "Shares relevant information in good time and considers colleagues' input"),
      ("Aktif meminta pandangan rekan dan memanfaatkannya untuk memperbaiki hasil kerja",
       "Actively asks for colleagues' views and uses them to improve the work"),
      ("Membangun cara berbagi pengetahuan yang dipakai seluruh unit",
       "Sets up ways of sharing knowledge that the whole unit uses"))),
    # --- M.3 Komunikasi ------------------------------------------------------------------
    ("M3-a", "competency", "M.3",
     "Menyampaikan informasi secara jelas, runtut, dan mudah dipahami, baik lisan maupun "
     "tertulis",
     "Gets information across clearly, in good order and easy to follow, in speech and in "
     "writing",
     (("Penyampaiannya sering membingungkan sehingga perlu dijelaskan ulang oleh orang lain",
       "Is often confusing, so others have to explain again"),
      ("Jelas untuk hal sederhana, tetapi kesulitan menyampaikan hal yang rumit",
       "Is clear on simple matters, but struggles to explain complex ones"),
      ("Menyampaikan informasi dengan jelas dan runtut sesuai kebutuhan pendengarnya",
       "Explains clearly and in order, suited to the audience"),
      ("Menyederhanakan hal yang rumit sehingga mudah dipahami berbagai kalangan",
       "Makes complex matters simple enough for any audience to follow"),
      ("Mewakili instansi berkomunikasi dengan pihak luar secara meyakinkan dan tepat "
       "sasaran",
       "Speaks for the agency to outside parties convincingly and to the point"))),
    ("M3-b", "competency", "M.3",
     "Mendengarkan dengan sungguh-sungguh dan menanggapi secara tepat",
     "Listens attentively and responds to the point",
     (("Sering memotong pembicaraan atau tidak menanggapi pertanyaan",
       "Often interrupts or leaves questions unanswered"),
      ("Mendengarkan, tetapi tanggapannya kerap tidak menjawab pokok persoalan",
       "Listens, but their replies often miss the point"),
      ("Mendengarkan dengan saksama dan menanggapi sesuai pokok persoalan",
       "Listens carefully and responds to the point"),
      ("Memastikan pemahaman dengan bertanya balik dan menanggapi dengan empati",
       "Checks understanding by asking back and responds with empathy"),
      ("Menciptakan ruang dialog sehingga orang merasa aman menyampaikan pendapat dan "
       "keluhan",
       "Creates room for dialogue where people feel safe to voice views and concerns"))),
    # --- M.4 Orientasi pada Hasil --------------------------------------------------------
    ("M4-a", "competency", "M.4",
     "Menetapkan target kerja yang jelas dan mencapainya tepat waktu",
     "Sets clear work targets and meets them on time",
     (("Sering tidak mencapai target dan tidak menjelaskan penyebabnya",
       "Often misses targets without explaining why"),
      ("Mencapai sebagian target, sering setelah tenggat lewat",
       "Meets some targets, often after the deadline"),
      ("Mencapai target kerja sesuai standar dan tenggat yang ditetapkan",
       "Meets work targets to the set standard and deadline"),
      ("Melampaui target dan menyelesaikan pekerjaan sebelum tenggat",
       "Exceeds targets and finishes work ahead of the deadline"),
      ("Menetapkan target yang menantang bagi unitnya dan memastikan tim mencapainya",
       "Sets challenging targets for the unit and makes sure the team meets them"))),
    ("M4-b", "competency", "M.4",
     "Memantau kemajuan pekerjaan dan mencari cara untuk meningkatkan hasil",
     "Tracks progress and looks for ways to improve results",
     (("Tidak memantau kemajuan pekerjaannya sampai masalah muncul",
       "Does not track progress until problems appear"),
      ("Memantau kemajuan bila diminta atasan",
       "Tracks progress when the supervisor asks"),
      ("Memantau kemajuan secara berkala dan memperbaiki bila ada hambatan",
       "Tracks progress regularly and corrects course when something gets in the way"),
      ("Menganalisis hasil kerja dan menerapkan perbaikan agar hasil berikutnya lebih baik",
       "Analyses results and makes improvements so the next ones are better"),
      ("Membangun cara pemantauan kinerja yang dipakai unitnya untuk terus memperbaiki hasil",
       "Sets up performance tracking that the unit uses to keep improving results"))),
    # --- M.5 Pelayanan Publik ------------------------------------------------------------
    ("M5-a", "competency", "M.5",
     "Melayani masyarakat secara cepat, tepat, dan adil tanpa membeda-bedakan",
     "Serves the public promptly, accurately and fairly, without favour",
     (("Mendahulukan orang yang dikenal atau memperlambat layanan bagi orang lain",
       "Puts acquaintances first or slows the service for others"),
      ("Melayani sesuai antrean, tetapi sering kurang tepat atau lambat",
       "Serves in turn, but is often inaccurate or slow"),
      ("Melayani sesuai standar pelayanan dan adil bagi setiap warga",
       "Serves to the service standard and fairly to every citizen"),
      ("Mempercepat layanan tanpa mengurangi ketepatan dan memberi kepastian waktu kepada "
       "warga",
       "Speeds up the service without losing accuracy and tells citizens when to expect "
       "it"),
      ("Memperbaiki standar pelayanan unitnya sehingga layanan lebih cepat, adil, dan mudah "
       "diakses",
       "Improves the unit's service standards so that service is faster, fairer and easier "
       "to reach"))),
    ("M5-b", "competency", "M.5",
     "Menanggapi keluhan masyarakat dan menindaklanjutinya sampai tuntas",
     "Responds to complaints from the public and sees them through",
     (("Mengabaikan keluhan atau melemparkannya kepada pihak lain",
       "Ignores complaints or passes them on to someone else"),
      ("Mencatat keluhan, tetapi jarang menindaklanjutinya",
       "Records complaints, but seldom follows them up"),
      ("Menindaklanjuti keluhan sesuai prosedur dan mengabarkan hasilnya",
       "Follows up complaints according to procedure and reports back"),
      ("Menuntaskan keluhan dengan cepat dan mencegah masalah yang sama terulang",
       "Resolves complaints quickly and keeps the same problem from recurring"),
      ("Menjadikan keluhan masyarakat dasar perbaikan layanan di tingkat instansi",
       "Turns public complaints into service improvements across the agency"))),
    # --- M.6 Pengembangan Diri dan Orang Lain --------------------------------------------
    ("M6-a", "competency", "M.6",
     "Mengembangkan diri secara berkelanjutan",
     "Develops themselves continuously",
     (("Tidak memiliki rencana pengembangan diri dan menghindari kesempatan belajar",
       "Has no development plan and avoids chances to learn"),
      ("Hanya mengikuti pengembangan diri yang diwajibkan",
       "Takes part only in the development that is required"),
      ("Menyusun dan menjalankan rencana pengembangan diri sesuai kebutuhan jabatannya",
       "Draws up and follows a development plan suited to their position"),
      ("Mencari umpan balik dan kesempatan belajar baru atas prakarsa sendiri",
       "Seeks feedback and new learning on their own initiative"),
      ("Terus belajar dan membagikan hasilnya sehingga kemampuan unit ikut meningkat",
       "Keeps learning and shares it, so that the whole unit's capability grows"))),
    ("M6-b", "competency", "M.6",
     "Membimbing dan memberi umpan balik yang membangun kepada rekan atau bawahan",
     "Coaches colleagues or staff and gives constructive feedback",
     (("Tidak pernah memberi bimbingan atau umpan balik",
       "Never coaches or gives feedback"),
      ("Memberi arahan bila diminta, tetapi jarang memberi umpan balik",
       "Gives directions when asked, but seldom gives feedback"),
      ("Memberi bimbingan dan umpan balik yang jelas kepada rekan atau bawahan yang "
       "membutuhkan",
       "Gives clear guidance and feedback to colleagues or staff who need it"),
      ("Rutin membimbing dan membantu orang lain menyusun rencana pengembangannya",
       "Coaches regularly and helps others draw up their development plans"),
      ("Menyiapkan kader pengganti dan membangun budaya belajar di unit atau instansinya",
       "Prepares successors and builds a learning culture in the unit or agency"))),
    # --- M.7 Mengelola Perubahan ---------------------------------------------------------
    ("M7-a", "competency", "M.7",
     "Menyesuaikan diri dengan perubahan kebijakan, organisasi, atau teknologi",
     "Adjusts to changes in policy, organisation or technology",
     (("Menolak atau menghambat perubahan",
       "Resists or obstructs change"),
      ("Mengikuti perubahan dengan enggan dan perlu banyak dorongan",
       "Goes along with change reluctantly and needs a lot of pushing"),
      ("Menerima perubahan dan menyesuaikan cara kerjanya",
       "Accepts change and adjusts the way they work"),
      ("Membantu rekan memahami dan menjalankan perubahan",
       "Helps colleagues understand and carry out the change"),
      ("Merancang dan memimpin perubahan di unit atau instansinya",
       "Designs and leads change in the unit or agency"))),
    ("M7-b", "competency", "M.7",
     "Mengenali hambatan perubahan dan mencari jalan keluarnya",
     "Spots what stands in the way of change and finds a way through",
     (("Membiarkan hambatan perubahan atau menjadikannya alasan untuk tidak bekerja",
       "Lets obstacles to change stand, or uses them as an excuse not to work"),
      ("Melaporkan hambatan, tetapi menunggu orang lain menyelesaikannya",
       "Reports obstacles, but waits for others to deal with them"),
      ("Mengenali hambatan dalam pekerjaannya dan mengusulkan jalan keluar",
       "Identifies obstacles in their own work and proposes solutions"),
      ("Mengatasi hambatan perubahan bersama pihak terkait tanpa menunggu diminta",
       "Tackles obstacles to change with those concerned without waiting to be asked"),
      ("Mengantisipasi dampak perubahan bagi instansi dan menyiapkan langkah untuk "
       "mengelolanya",
       "Foresees what a change will mean for the agency and prepares the steps to manage "
       "it"))),
    # --- M.8 Pengambilan Keputusan -------------------------------------------------------
    ("M8-a", "competency", "M.8",
     "Mengambil keputusan tepat waktu berdasarkan data dan pertimbangan yang matang",
     "Makes timely decisions based on data and careful thought",
     (("Menunda keputusan atau memutuskan tanpa dasar yang jelas",
       "Puts off decisions or decides without clear grounds"),
      ("Memutuskan hal rutin, tetapi ragu-ragu pada persoalan yang tidak biasa",
       "Decides routine matters, but hesitates over unusual ones"),
      ("Mengambil keputusan tepat waktu dengan memakai data yang tersedia",
       "Makes decisions on time using the data available"),
      ("Menimbang berbagai pilihan dan risikonya sebelum memutuskan persoalan yang rumit",
       "Weighs the options and their risks before deciding complex matters"),
      ("Mengambil keputusan strategis yang berdampak luas dengan dasar yang kuat",
       "Makes far-reaching strategic decisions on solid grounds"))),
    ("M8-b", "competency", "M.8",
     "Bertanggung jawab atas keputusan yang diambil beserta risikonya",
     "Owns their decisions and the risks that come with them",
     (("Menyalahkan orang lain bila keputusannya ternyata keliru",
       "Blames others when their decision turns out wrong"),
      ("Menerima akibat keputusannya bila diminta menjelaskan",
       "Accepts the consequences of a decision when asked to explain it"),
      ("Menjelaskan alasan keputusannya dan bertanggung jawab atas hasilnya",
       "Explains the reasons for their decisions and answers for the outcome"),
      ("Memantau dampak keputusannya dan segera mengoreksinya bila diperlukan",
       "Follows the effects of their decisions and corrects them promptly when needed"),
      ("Berani mengambil keputusan sulit demi kepentingan instansi dan "
       "mempertanggungjawabkannya secara terbuka",
       "Takes hard decisions in the agency's interest and answers for them openly"))),
)  # fmt: skip


def upgrade() -> None:
    now = datetime.now(UTC)
    questionnaires = sa.table(
        "feedback_questionnaires",
        sa.column("id", sa.Uuid()),
        sa.column("agency_code", sa.String()),
        sa.column("code", sa.String()),
        sa.column("revision", sa.SmallInteger()),
        sa.column("title_id", sa.String()),
        sa.column("title_en", sa.String()),
        sa.column("description", sa.Text()),
        sa.column("version", sa.Integer()),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    items = sa.table(
        "feedback_items",
        sa.column("questionnaire_id", sa.Uuid()),
        sa.column("ordinal", sa.SmallInteger()),
        sa.column("code", sa.String()),
        sa.column("dimension_kind", sa.String()),
        sa.column("dimension_code", sa.String()),
        sa.column("text_id", sa.Text()),
        sa.column("text_en", sa.Text()),
        sa.column("anchors", postgresql.JSONB()),
        sa.column("required", sa.Boolean()),
        sa.column("comment_allowed", sa.Boolean()),
        sa.column("not_observed_allowed", sa.Boolean()),
    )
    op.bulk_insert(
        questionnaires,
        [
            {
                "id": QUESTIONNAIRE_ID,
                "agency_code": None,
                "code": CODE,
                "revision": 1,
                "title_id": TITLE_ID,
                "title_en": TITLE_EN,
                "description": DESCRIPTION,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        ],
    )
    op.bulk_insert(
        items,
        [
            {
                "questionnaire_id": QUESTIONNAIRE_ID,
                "ordinal": ordinal,
                "code": code,
                "dimension_kind": kind,
                "dimension_code": dimension,
                "text_id": text_id,
                "text_en": text_en,
                "anchors": {
                    str(point): {"id": anchor_id, "en": anchor_en}
                    for point, (anchor_id, anchor_en) in enumerate(anchors, start=1)
                },
                "required": True,
                "comment_allowed": True,
                "not_observed_allowed": True,
            }
            for ordinal, (code, kind, dimension, text_id, text_en, anchors) in enumerate(
                ITEMS, start=1
            )
        ],
    )


def downgrade() -> None:
    # Items go with their questionnaire (ON DELETE CASCADE); a cycle that uses it keeps the
    # downgrade from running, as it should.
    op.execute(
        sa.text("DELETE FROM feedback_questionnaires WHERE id = :id").bindparams(
            id=QUESTIONNAIRE_ID
        )
    )
